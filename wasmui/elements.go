package wasmui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// The page builds every element with app.Elem rather than go-app's typed
// constructors such as app.Div or app.Td. go-app reaches a typed element's
// methods through interfaces, so each typed element used adds its own copy
// of every method the page calls to app.wasm, while app.Elem shares one
// type for all tags. With go-app v10.1.11 and Go 1.26.8 this took about
// 150 KB off app.wasm, 12 KB after brotli compression. Attributes without
// a method on app.HTMLElem, such as scope or title, are set with Attr.

func div() app.HTMLElem        { return app.Elem("div") }
func span() app.HTMLElem       { return app.Elem("span") }
func section() app.HTMLElem    { return app.Elem("section") }
func mainElem() app.HTMLElem   { return app.Elem("main") }
func headerElem() app.HTMLElem { return app.Elem("header") }
func dialogElem() app.HTMLElem { return app.Elem("dialog") }
func table() app.HTMLElem      { return app.Elem("table") }
func caption() app.HTMLElem    { return app.Elem("caption") }
func thead() app.HTMLElem      { return app.Elem("thead") }
func tbody() app.HTMLElem      { return app.Elem("tbody") }
func tr() app.HTMLElem         { return app.Elem("tr") }
func td() app.HTMLElem         { return app.Elem("td") }

// th returns a header cell for the given scope, "col" or "row".
func th(scope string) app.HTMLElem { return app.Elem("th").Attr("scope", scope) }

// buttonElem returns a button of type "button", which submits no form.
func buttonElem() app.HTMLElem { return app.Elem("button").Attr("type", "button") }

// hiddenText returns a text for screen readers only.
func hiddenText(text string) app.UI { return span().Class("visually-hidden").Text(text) }
