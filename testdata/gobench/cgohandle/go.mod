module gobridge.invalid/testdata/gobench/cgohandle

go 1.22
