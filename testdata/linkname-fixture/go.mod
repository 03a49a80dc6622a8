module example.com/lnfixture

go 1.22
