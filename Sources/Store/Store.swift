// The SQLite store lands here (issue: foundation).
