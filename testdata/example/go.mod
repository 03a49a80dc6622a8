module example.com/gobridge/example

go 1.21
