package org.dbreplication.full;

import java.util.List;
import java.util.Set;
import java.util.function.BinaryOperator;
import org.dbreplication.full.SqlTokens.Kind;
import org.dbreplication.full.SqlTokens.Token;
import org.dbreplication.pg.Sql;

/**
 * One pass over a SQL text for {@link ShadowNames#rewrite}: finds the qualified names, the literals naming an object
 * and the DO bodies, and asks which shadow schema, if any, each name gets.
 */
final class ShadowRewriter {

    /** Constants of these types are stored as OIDs in a definition: they bind to the object when it is created. */
    private static final Set<String> OID_TYPES = Set.of("regclass", "regtype", "regproc", "regprocedure", "regoper",
            "regoperator", "regconfig", "regdictionary", "regcollation");
    /** Statements that store what they are given, a text resolved later ({@code to_regclass('…'::text)}) included. */
    private static final Set<String> STORING = Set.of("create", "alter", "comment", "security");

    /** (schema, name) → the quoted shadow schema when the archive creates that object there, else null. */
    private final BinaryOperator<String> shadowSchema;
    private final String sql;
    private final List<Token> tokens;
    private final StringBuilder out;
    private int copied;
    // the statement being read
    private int depth;
    private String statementWord;
    /** Inside a SQL-standard body ({@code BEGIN ATOMIC … END}): its semicolons do not end the statement. */
    private boolean atomic;
    private int caseDepth;

    private ShadowRewriter(BinaryOperator<String> shadowSchema, String sql) {
        this.shadowSchema = shadowSchema;
        this.sql = sql;
        this.tokens = SqlTokens.of(sql).stream()
                .filter(t -> t.isSignificant() && t.kind() != Kind.COPY_DATA).toList();
        this.out = new StringBuilder(sql.length() + 64);
    }

    static String rewrite(String sql, BinaryOperator<String> shadowSchema) {
        return new ShadowRewriter(shadowSchema, sql).run();
    }

    private String run() {
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            Token previous = i > 0 ? tokens.get(i - 1) : null;
            boolean doBody = "do".equals(statementWord) && depth == 0;
            String replacement = null;
            if (token.isName() && (previous == null || !previous.isPunct('.'))) {
                replacement = schemaOfName(tokens, i);
            } else if (doBody && token.kind() == Kind.STRING) {
                replacement = Sql.literal(rewrite(token.value(), shadowSchema));
            } else if (doBody && token.kind() == Kind.DOLLAR_STRING) {
                replacement = dollarBody(sql.substring(token.start(), token.end()), token.value());
            } else if ((token.kind() == Kind.STRING || token.kind() == Kind.ESCAPE_STRING)
                    && (!STORING.contains(statementWord) || castToOidType(i))) {
                replacement = literal(token);
            }
            if (replacement != null) {
                out.append(sql, copied, token.start()).append(replacement);
                copied = token.end();
            }
            follow(token, previous);
        }
        return out.append(sql, copied, sql.length()).toString();
    }

    private void follow(Token token, Token previous) {
        depth += token.isPunct('(') ? 1 : token.isPunct(')') ? -1 : 0;
        if (atomic) {
            if (token.isWord("case")) {
                caseDepth++;
            } else if (token.isWord("end")) {
                atomic = caseDepth > 0;
                caseDepth = Math.max(0, caseDepth - 1);
            }
        } else if (token.isPunct(';') && depth <= 0) {
            depth = 0;
            statementWord = null;
        } else if (statementWord == null) {
            statementWord = token.kind() == Kind.IDENT ? token.value() : "";
        } else if (token.isWord("atomic") && previous != null && previous.isWord("begin")) {
            atomic = true;
            caseDepth = 0;
        }
    }

    /** The quoted shadow schema when parts[i] is the schema of a qualified name of a created object, else null. */
    private String schemaOfName(List<Token> parts, int i) {
        if (i + 2 >= parts.size() || !parts.get(i + 1).isPunct('.')) {
            return null;
        }
        Token name = parts.get(i + 2);
        return name.isName() || name.kind() == Kind.OPERATOR ? shadowSchema.apply(parts.get(i).value(), name.value()) : null;
    }

    /** {@code '…'::regclass}, {@code '…'::pg_catalog.regconfig}… */
    private boolean castToOidType(int literal) {
        int i = literal + 1;
        if (i + 2 >= tokens.size() || !tokens.get(i).isPunct(':') || !tokens.get(i + 1).isPunct(':')) {
            return false;
        }
        Token type = tokens.get(i + 2);
        if (type.isWord("pg_catalog") && i + 4 < tokens.size() && tokens.get(i + 3).isPunct('.')) {
            type = tokens.get(i + 4);
        }
        return type.kind() == Kind.IDENT && OID_TYPES.contains(type.value());
    }

    /** The literal naming the shadow schema when its whole content is the name of a created object, else null. */
    private String literal(Token literal) {
        String content = literal.value();
        if (content == null) {
            return null;
        }
        List<Token> parts = SqlTokens.of(content);
        String shadow = parts.size() == 3 && parts.get(0).isName() ? schemaOfName(parts, 0) : null;
        if (shadow == null) {
            return null;
        }
        String shadowed = shadow + content.substring(parts.get(0).end());
        return literal.kind() == Kind.STRING ? Sql.literal(shadowed) : "E" + Sql.literal(shadowed.replace("\\", "\\\\"));
    }

    private String dollarBody(String literal, String body) {
        String delimiter = literal.substring(0, literal.indexOf('$', 1) + 1);
        String rewritten = rewrite(body, shadowSchema);
        if (rewritten.contains(delimiter)) {
            throw new IllegalArgumentException("a shadow schema name makes the DO block's body contain its own "
                    + "delimiter " + delimiter);
        }
        boolean closed = literal.length() == 2 * delimiter.length() + body.length();
        return delimiter + rewritten + (closed ? delimiter : "");
    }
}
