module example.com/bridgefixture

go 1.21
