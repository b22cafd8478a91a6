// Package web holds the browser UI (customer widget, agent workspace,
// knowledge console) embedded with go:embed, served by the api package.
//
// The pages arrive with the issues that add the features they show.
package web
