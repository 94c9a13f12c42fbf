// The eBay twin lands here.
