package org.dbreplication.full;

import java.util.Map;

/** Builds the {@link NameRedirect} of a copy built aside: the archive's objects in the new copy's schemas. */
final class NewCopyNames {

    private NewCopyNames() {
    }

    /**
     * @param newSchemas live schema → the new copy's schema
     * @param preData    the rendered pre-data (the objects it creates)
     * @param postData   the rendered post-data (the indexes it creates)
     */
    static NameRedirect of(Map<String, String> newSchemas, RenderedScript preData, RenderedScript postData) {
        throw new UnsupportedOperationException("FULL_REFRESH=swap is not available yet");
    }
}
