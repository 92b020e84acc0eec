/// `/signin`: the form that takes an analyst or admin key and sets the session cookie.
enum SignInPage {
    static func html(_ l: Localizer, error: String?, next: String, formToken: String) -> String {
        var body = "<header><div class=\"brand\"><a href=\"/\">Perennial</a></div><div class=\"tools\">\(Layout.languageSwitch(l))</div></header>"
        body += "<main><form class=\"signin\" method=\"post\" action=\"/signin\"><h1>\(HTML.escape(l["signin.title"]))</h1>"
        body += "<p class=\"note\">\(HTML.escape(l["signin.explain"]))</p>"
        if let error { body += "<p class=\"error\" role=\"alert\">\(HTML.escape(error))</p>" }
        body += "<label for=\"key\">\(HTML.escape(l["signin.key"]))</label>"
        body += "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"current-password\" required=\"required\" autofocus=\"autofocus\"/>"
        body += "<input type=\"hidden\" name=\"next\" value=\"\(HTML.escape(next))\"/>"
        body += "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(formToken))\"/>"
        body += "<button type=\"submit\">\(HTML.escape(l["signin.submit"]))</button></form></main>" + Layout.footer(l)
        return Layout.document(title: "\(l["signin.title"]) · Perennial", language: l.language, body: body)
    }
}
