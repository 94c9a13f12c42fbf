// The Amazon SP-API adapter lands here (issue 4).
