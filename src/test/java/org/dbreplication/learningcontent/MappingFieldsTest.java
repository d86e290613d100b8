package org.dbreplication.learningcontent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The properties of an item that the mapping reads: the loader keeps these and skips the others unbuilt. */
class MappingFieldsTest {

    final Mapping mapping = Mapping.load("fr-fr");

    @Test
    void eachTableReadsTheFirstPropertyOfItsColumnsPaths() {
        // plain, !!path, [path] and nested paths (name_i18n.fr): their first property; constants none
        assertThat(mapping.table("challenges").fields())
                .contains("id", "instruction", "skillId", "locales", "embedUrl", "focusable", "solutionToDisplay")
                .doesNotContain("unknownField", "secondSkillId", "thirdSkillId");
        assertThat(mapping.table("competences").fields()).contains("id", "name_i18n", "index", "areaId")
                .doesNotContain("name", "title", "code");
        assertThat(Extractor.topField("!!embedUrl", "fr")).isEqualTo("embedUrl");
        assertThat(Extractor.topField("[practicalTitle_i18n.{locale}]", "fr")).isEqualTo("practicalTitle_i18n");
    }
}
