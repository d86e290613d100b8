package org.dbreplication.full;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A SQL text cut into PostgreSQL's lexical tokens, enough to tell names from string literals, dollar-quoted strings
 * and comments (the rules of PostgreSQL's scanner, {@code standard_conforming_strings} on, as pg_dump sets it).
 * The tokens cover the text without gap: {@code text.substring(start, end)} of all of them, in order, is the text.
 *
 * <p>The rows that follow a {@code COPY … FROM stdin;} statement up to the {@code \.} line are one
 * {@link Kind#COPY_DATA} token: data, not SQL.
 */
final class SqlTokens {

    enum Kind {
        SPACE, COMMENT,
        /** Unquoted identifier or key word; value: folded to lower case as PostgreSQL does. */
        IDENT,
        /** Double-quoted identifier; value: its name (quotes undoubled), null for a {@code U&"…"} one. */
        QUOTED_IDENT,
        /** {@code '…'}; value: its content. */
        STRING,
        /** {@code E'…'}; value: its content, null when it holds escapes other than {@code \\} and {@code \'}. */
        ESCAPE_STRING,
        /** {@code $tag$…$tag$}; value: the body. */
        DOLLAR_STRING,
        /** Bit, hexadecimal, national and Unicode-escape strings: never rewritten; value null. */
        OTHER_STRING,
        NUMBER, PARAM, OPERATOR,
        /** Any other single character: {@code ( ) , ; . : [ ]}…; value: the character. */
        PUNCT,
        /** Rows of a {@code COPY … FROM stdin}, through the {@code \.} line. */
        COPY_DATA
    }

    record Token(Kind kind, int start, int end, String value) {

        boolean isName() {
            return (kind == Kind.IDENT || kind == Kind.QUOTED_IDENT) && value != null;
        }

        boolean isPunct(char c) {
            return kind == Kind.PUNCT && value.charAt(0) == c;
        }

        boolean isWord(String lowerCaseWord) {
            return kind == Kind.IDENT && value.equals(lowerCaseWord);
        }

        boolean isSignificant() {
            return kind != Kind.SPACE && kind != Kind.COMMENT;
        }
    }

    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";
    /** An operator of several characters may end in + or - only when it holds one of these (PostgreSQL's rule). */
    private static final String OPERATOR_CHARS_ALLOWING_SIGN_END = "~!@#%^&|`?";

    private final String sql;
    private final List<Token> tokens = new ArrayList<>();
    private int position;
    // statement state, to find where the rows of a COPY … FROM stdin begin
    private int depth;
    private String statementWord;
    private boolean afterFrom;
    private boolean copyFromStdin;

    private SqlTokens(String sql) {
        this.sql = sql;
    }

    static List<Token> of(String sql) {
        SqlTokens lexer = new SqlTokens(sql);
        lexer.scan();
        return lexer.tokens;
    }

    private void scan() {
        int n = sql.length();
        while (position < n) {
            int start = position;
            char c = sql.charAt(position);
            char next = at(position + 1);
            Token token;
            if (" \t\n\r\f\u000b".indexOf(c) >= 0) {
                while (position < n && " \t\n\r\f\u000b".indexOf(sql.charAt(position)) >= 0) {
                    position++;
                }
                token = new Token(Kind.SPACE, start, position, null);
            } else if (c == '-' && next == '-') {
                int eol = sql.indexOf('\n', position);
                position = eol < 0 ? n : eol;
                token = new Token(Kind.COMMENT, start, position, null);
            } else if (c == '/' && next == '*') {
                token = blockComment(start);
            } else if (c == '\'') {
                token = quoted(start, start, '\'', Kind.STRING);
            } else if (c == '"') {
                token = quoted(start, start, '"', Kind.QUOTED_IDENT);
            } else if ((c == 'e' || c == 'E') && next == '\'') {
                token = escapeString(start);
            } else if ("bBxXnN".indexOf(c) >= 0 && next == '\'') {
                token = quoted(start, start + 1, '\'', Kind.OTHER_STRING);
            } else if ((c == 'u' || c == 'U') && next == '&' && (at(position + 2) == '\'' || at(position + 2) == '"')) {
                Token unicode = quoted(start, start + 2, at(position + 2), Kind.OTHER_STRING);
                token = new Token(at(start + 2) == '"' ? Kind.QUOTED_IDENT : Kind.OTHER_STRING, start, unicode.end(), null);
            } else if (c == '$') {
                token = dollar(start);
            } else if (isIdentStart(c)) {
                while (position < n && (isIdentStart(sql.charAt(position)) || Character.isDigit(sql.charAt(position))
                        || sql.charAt(position) == '$')) {
                    position++;
                }
                token = new Token(Kind.IDENT, start, position, sql.substring(start, position).toLowerCase(Locale.ROOT));
            } else if (isDigit(c) || (c == '.' && isDigit(next))) {
                token = number(start);
            } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
                token = operator(start);
            } else {
                position++;
                token = new Token(Kind.PUNCT, start, position, String.valueOf(c));
            }
            tokens.add(token);
            if (token.isSignificant()) {
                followStatement(token);
            }
        }
    }

    /** Tracks the statement being read; after {@code COPY … FROM stdin;} the rows are read as one token. */
    private void followStatement(Token token) {
        if (token.isPunct('(')) {
            depth++;
        } else if (token.isPunct(')')) {
            depth--;
        }
        boolean wasAfterFrom = afterFrom;
        afterFrom = false;
        if (token.isPunct(';') && depth <= 0) {
            if (copyFromStdin) {
                copyData();
            }
            depth = 0;
            statementWord = null;
            copyFromStdin = false;
        } else if (statementWord == null) {
            statementWord = token.kind() == Kind.IDENT ? token.value() : "";
        } else if (statementWord.equals("copy") && depth == 0) {
            afterFrom = token.isWord("from");
            copyFromStdin |= wasAfterFrom && token.isWord("stdin");
        }
    }

    private void copyData() {
        int start = position;
        int lineStart = sql.indexOf('\n', position);
        int end = sql.length();
        while (lineStart >= 0) {
            int lineEnd = sql.indexOf('\n', lineStart + 1);
            String line = sql.substring(lineStart + 1, lineEnd < 0 ? sql.length() : lineEnd);
            if (line.equals("\\.") || line.equals("\\.\r")) {
                end = lineEnd < 0 ? sql.length() : lineEnd + 1;
                break;
            }
            lineStart = lineEnd;
        }
        position = end;
        if (end > start) {
            tokens.add(new Token(Kind.COPY_DATA, start, end, null));
        }
    }

    private Token blockComment(int start) {
        int nesting = 0;
        while (position < sql.length()) {
            if (sql.startsWith("/*", position)) {
                nesting++;
                position += 2;
            } else if (sql.startsWith("*/", position)) {
                nesting--;
                position += 2;
                if (nesting == 0) {
                    break;
                }
            } else {
                position++;
            }
        }
        return new Token(Kind.COMMENT, start, position, null);
    }

    /** A text between {@code quote} characters, a doubled quote standing for one; value null for OTHER_STRING. */
    private Token quoted(int start, int open, char quote, Kind kind) {
        StringBuilder value = new StringBuilder();
        boolean closed = false;
        position = open + 1;
        while (position < sql.length() && !closed) {
            char c = sql.charAt(position++);
            if (c == quote && at(position) == quote) {
                position++;
            } else if (c == quote) {
                closed = true;
                continue;
            }
            value.append(c);
        }
        return new Token(kind, start, position, kind == Kind.OTHER_STRING || !closed ? null : value.toString());
    }

    private Token escapeString(int start) {
        StringBuilder value = new StringBuilder();
        boolean plain = true;
        boolean closed = false;
        position = start + 2;
        while (position < sql.length() && !closed) {
            char c = sql.charAt(position++);
            if (c == '\\' && position < sql.length()) {
                char escaped = sql.charAt(position++);
                plain &= escaped == '\\' || escaped == '\'';
                value.append(escaped);
            } else if (c == '\'' && at(position) == '\'') {
                position++;
                value.append(c);
            } else if (c == '\'') {
                closed = true;
            } else {
                value.append(c);
            }
        }
        return new Token(Kind.ESCAPE_STRING, start, position, plain && closed ? value.toString() : null);
    }

    /** {@code $1} (a parameter), {@code $tag$…$tag$} (a dollar-quoted string), or a lone {@code $}. */
    private Token dollar(int start) {
        int i = start + 1;
        if (isDigit(at(i))) {
            while (isDigit(at(i))) {
                i++;
            }
            position = i;
            return new Token(Kind.PARAM, start, i, sql.substring(start, i));
        }
        if (isIdentStart(at(i))) {
            while (isIdentStart(at(i)) || isDigit(at(i))) {
                i++;
            }
        }
        if (at(i) != '$') {
            position = start + 1;
            return new Token(Kind.PUNCT, start, position, "$");
        }
        String delimiter = sql.substring(start, i + 1);
        int close = sql.indexOf(delimiter, i + 1);
        int bodyEnd = close < 0 ? sql.length() : close;
        position = close < 0 ? sql.length() : close + delimiter.length();
        return new Token(Kind.DOLLAR_STRING, start, position, sql.substring(i + 1, bodyEnd));
    }

    private Token number(int start) {
        while (isDigit(at(position)) || at(position) == '.' || at(position) == '_'
                || Character.isLetter(at(position))) {
            position++;
        }
        return new Token(Kind.NUMBER, start, position, sql.substring(start, position));
    }

    private Token operator(int start) {
        int end = start;
        while (OPERATOR_CHARS.indexOf(at(end)) >= 0 && !sql.startsWith("--", end) && !sql.startsWith("/*", end)) {
            end++;
        }
        if (end == start) {
            end = start + 1;
        }
        String symbol = sql.substring(start, end);
        if (symbol.length() > 1 && symbol.chars().noneMatch(ch -> OPERATOR_CHARS_ALLOWING_SIGN_END.indexOf(ch) >= 0)) {
            while (symbol.length() > 1 && (symbol.endsWith("+") || symbol.endsWith("-"))) {
                symbol = symbol.substring(0, symbol.length() - 1);
            }
        }
        position = start + symbol.length();
        return new Token(Kind.OPERATOR, start, position, symbol);
    }

    private char at(int index) {
        return index < sql.length() ? sql.charAt(index) : '\0';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
