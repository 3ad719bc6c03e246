module github.com/visen/visen

go 1.26.8

require (
	github.com/gohugoio/hugo-goldmark-extensions/passthrough v0.5.0
	github.com/jomei/notionapi v1.13.3
	github.com/sashabaranov/go-openai v1.43.0
	github.com/stretchr/testify v1.12.1
	github.com/yuin/goldmark v1.8.7
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/time v0.16.0 // indirect
)
