module example.com/ingestfixture

go 1.24

require example.com/ingestdep v0.0.0

replace example.com/ingestdep => ./depmod
