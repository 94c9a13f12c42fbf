// The sandbox server lands here (issue 4).
