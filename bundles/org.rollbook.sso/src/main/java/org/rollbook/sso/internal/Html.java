package org.rollbook.sso.internal;

/** The patron pages: plain HTML, every value escaped (names come from the roster: untrusted), styled by /sso/style.css. */
final class Html {
    private Html() {
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A whole page around {@code body} (already escaped HTML). */
    static String page(String title, String body) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + escape(title) + " · Rollbook</title><link rel=\"stylesheet\" href=\"/sso/style.css\"></head>"
                + "<body><main><h1>" + escape(title) + "</h1>\n" + body + "\n</main></body></html>\n";
    }

    static final String CSS = """
            body { font-family: system-ui, sans-serif; background: #f4f6f8; color: #1d2733; margin: 0; }
            main { max-width: 34rem; margin: 4rem auto; background: #fff; padding: 2rem 2.5rem; border-radius: 8px;
                   box-shadow: 0 1px 4px rgba(0,0,0,.12); }
            h1 { font-size: 1.4rem; margin-top: 0; }
            a.button, button { display: block; width: 100%; box-sizing: border-box; margin: .6rem 0; padding: .75rem 1rem;
                   border: 1px solid #3559c7; border-radius: 6px; background: #3559c7; color: #fff; text-align: center;
                   font-size: 1rem; text-decoration: none; cursor: pointer; }
            button.secondary { background: #fff; color: #3559c7; }
            p.refusal { background: #fdecea; border: 1px solid #f5c2bd; padding: .8rem 1rem; border-radius: 6px; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1.2rem; }
            dt { color: #5b6877; }
            dd { margin: 0; }
            """;
}
