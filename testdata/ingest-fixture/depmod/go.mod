module example.com/ingestdep

go 1.24
