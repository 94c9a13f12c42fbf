// The HTTP engine lands here (issue: foundation).
