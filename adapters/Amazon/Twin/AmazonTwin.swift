// The Amazon SP-API twin lands here (issue 4).
