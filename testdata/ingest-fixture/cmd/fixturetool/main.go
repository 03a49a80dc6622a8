// Command fixturetool is a main package inside the fixture.
package main

import "fmt"

// Version is exported even in a main package.
var Version = "dev"

func main() { fmt.Println(Version) }
