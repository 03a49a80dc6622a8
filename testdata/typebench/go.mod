module example.com/gobridge/typebench

go 1.21
