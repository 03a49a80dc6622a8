module example.com/gobridge/typecorpus

go 1.21
