module github.com/assistd/assist

go 1.26
