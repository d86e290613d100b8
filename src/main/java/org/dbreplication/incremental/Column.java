package org.dbreplication.incremental;

/** A column as the catalog describes it: {@code type} is format_type's text (e.g. {@code character varying(20)}). */
record Column(String name, String type, boolean notNull, String defaultExpression) {
}
