package org.dbreplication.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dbreplication.Db;
import org.dbreplication.TestPostgres;
import org.dbreplication.pg.DatabaseUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The status page as an operator sees it: the real web process on a journal of three runs (SampleJournal), the page
 * in a real headless Chromium. What it shows is read from the page itself (tables, the charts' data as Chart.js holds
 * it), the console must stay free of errors, and the replay form records a request in the journal.
 */
class StatusPageBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static DatabaseUrl target;
    static WebClient web;
    static HeadlessChromium browser;

    @BeforeAll
    static void openThePage() throws Exception {
        target = TestPostgres.createDatabase("status_page", null);
        web = WebClient.start(Map.of("DATABASE_URL", target.toString()));
        SampleJournal.write(target);
        browser = new HeadlessChromium();
        // basic auth in the URL: Chrome sends it for the page and keeps it for the page's own requests (fetch)
        browser.driver().get(web.url("/").replace("://", "://" + WebClient.USER + ":" + WebClient.PASSWORD + "@"));
        browser.waitUntil("the page read the API once", "return document.getElementById('updated').textContent !== '';");
        // otherwise it names the part that failed ("cannot read the journal: …")
        assertThat(text("#updated")).startsWith("updated ");
        browser.waitUntil("the page drew its charts",
                "return ['runs-chart', 'incremental-chart', 'timeline-chart'].every(id => Chart.getChart(id));");
    }

    @AfterAll
    static void close() throws Exception {
        try {
            if (browser != null) {
                try {
                    // the answer of the test's replay request is on it when that test ran
                    Path png = browser.screenshot(Path.of("target", "status-page.png"));
                    System.out.println("[[ATTACHMENT|" + png + "]]");
                } finally {
                    browser.close();
                }
            }
        } finally {
            if (web != null) {
                web.close();
            }
            if (target != null) {
                TestPostgres.dropDatabase(target);
            }
        }
    }

    @AfterEach
    void noErrorInTheConsole() {
        assertThat(browser.severeConsoleEntries()).as("console errors").isEmpty();
    }

    @Test
    void thePageNeverShowsTheCredentialsItWasOpenedWith() {
        assertThat(browser.driver().findElement(By.tagName("body")).getText()).doesNotContain(WebClient.PASSWORD);
    }

    @Test
    void theRunInProgressAndItsProgress() throws Exception {
        assertThat(text("#running")).startsWith("run #3 (cli): full, started ").endsWith(" by " + SampleJournal.RUNNING_HOST);
        assertThat(browser.json("document.getElementById('running').className")).isEqualTo("\"status-running\"");
        // step, item, state, done, total; then the bar's value and maximum
        assertThat(rows("progress", "[0, 1, 2, 3, 4].map(i => tr.cells[i].textContent)"
                + ".concat([tr.querySelector('progress').value, tr.querySelector('progress').max])")).isEqualTo("""
                [["full","index builds","running","0 items","9",0,9],\
                ["full","rows","running","650 rows","1,660",650,1660],\
                ["full","table copies","running","4 tables","11",4,11]]""");
        // rate and ETA where something is done already
        assertThat(rows("progress", "[tr.cells[6].textContent !== '', tr.cells[7].textContent !== '']"))
                .isEqualTo("[[true,false],[true,true],[true,true]]");
    }

    @Test
    void theRunsTableAndTheirDurationPerStep() throws Exception {
        // #, trigger, plan, status (and its colour), error
        assertThat(rows("runs", "[0, 1, 2, 3, 6].map(i => tr.cells[i].textContent).concat([tr.cells[3].className])"))
                .isEqualTo(JSON.writeValueAsString(List.of(
                        List.of("3", "cli", "full", "running", "", "status-running"),
                        List.of("2", "schedule", SampleJournal.PLAN, "failed", SampleJournal.MASKED_ERROR, "status-failed"),
                        List.of("1", "schedule", SampleJournal.PLAN, "succeeded", "", "status-succeeded"))));
        // the running run's duration grows: about 5 min
        assertThat(rows("runs", "tr.cells[5].textContent")).matches("\\[\"\\d+ min \\d+ s\",\"5 min 30 s\",\"6 min 40 s\"]");
        JsonNode chart = chart("runs-chart");
        assertThat(chart.get("labels").toString()).isEqualTo("[\"#1 schedule\",\"#2 schedule (failed)\",\"#3 cli (running)\"]");
        assertThat(labels(chart)).containsExactly("full", "incremental", "learning-content", "notification");
        // seconds per step, oldest run first; run 2's two learning-content attempts are added up
        assertThat(data(chart, 1)).isEqualTo("[60,60,0]");
        assertThat(data(chart, 2)).isEqualTo("[30,15,0]");
        assertThat(data(chart, 3)).isEqualTo("[2,0,0]");
        JsonNode full = chart.get("datasets").get(0).get("data");
        assertThat(full.get(0).asDouble()).isEqualTo(300);
        assertThat(full.get(1).asDouble()).isEqualTo(240);
        // the running full step: the time since it began, 5 min ago
        assertThat(full.get(2).asDouble()).isBetween(300.0, 900.0);
    }

    @Test
    void theRowsCopiedPerNightPerIncrementalTable() throws Exception {
        JsonNode chart = chart("incremental-chart");
        assertThat(chart.get("labels")).extracting(JsonNode::asText).satisfiesExactly(
                first -> assertThat(first).startsWith("#1 "), second -> assertThat(second).startsWith("#2 "));
        assertThat(labels(chart)).containsExactly("answers", "knowledge-elements");
        assertThat(data(chart, 0)).isEqualTo("[1500,250]");
        assertThat(data(chart, 1)).isEqualTo("[9000,400]");
    }

    @Test
    void theLastFullStepsTimelineOnTwoWorkersAndItsSlowestItems() throws Exception {
        JsonNode chart = chart("timeline-chart");
        assertThat(chart.get("labels").toString()).isEqualTo("[\"worker 1\",\"worker 2\"]");
        assertThat(labels(chart)).containsExactly("TABLE DATA", "INDEX", "CONSTRAINT", "FK CONSTRAINT");
        // each item as a bar from its start to its end (s since the step began) on the worker free at its start
        assertThat(data(chart, 0)).isEqualTo("[{\"x\":[0,40],\"y\":\"worker 1\",\"name\":\"public.answers\"},"
                + "{\"x\":[0,10],\"y\":\"worker 2\",\"name\":\"public.users\"},"
                + "{\"x\":[10,30],\"y\":\"worker 2\",\"name\":\"public.knowledge-elements\"}]");
        assertThat(data(chart, 1)).isEqualTo("[{\"x\":[30,35],\"y\":\"worker 2\",\"name\":\"public.answers_pkey\"},"
                + "{\"x\":[35,45],\"y\":\"worker 2\",\"name\":\"public.knowledge_elements_user_idx\"}]");
        assertThat(data(chart, 2)).isEqualTo("[{\"x\":[40,42],\"y\":\"worker 1\",\"name\":\"public.users users_pkey\"}]");
        assertThat(data(chart, 3)).isEqualTo("[{\"x\":[45,50],\"y\":\"worker 1\",\"name\":\"public.answers answers_user_fkey\"}]");
        assertThat(chart.get("title").asText()).isEqualTo("seconds since run #2's full step began");
        // category, item, time, rows: only table data has rows
        assertThat(rows("slowest", "[...tr.cells].map(td => td.textContent)")).isEqualTo("""
                [["TABLE DATA","public.answers","40.0 s","900"],["TABLE DATA","public.knowledge-elements","20.0 s","640"],\
                ["TABLE DATA","public.users","10.0 s","120"],["INDEX","public.knowledge_elements_user_idx","10.0 s",""],\
                ["INDEX","public.answers_pkey","5.0 s",""],["CONSTRAINT","public.users users_pkey","2.0 s",""],\
                ["FK CONSTRAINT","public.answers answers_user_fkey","5.0 s",""]]""");
    }

    @Test
    void theErrorsListShowsTheFailedRunsMaskedError() throws Exception {
        assertThat(browser.json("[...document.querySelectorAll('#errors li')].map(li => li.textContent)"))
                .matches(Pattern.quote("[\"run #2 (") + "[^)]+" + Pattern.quote("): " + SampleJournal.MASKED_ERROR + "\"]"));
    }

    @Test
    void theReplayFormRecordsARequest() throws Exception {
        new Select(browser.driver().findElement(By.name("plan"))).selectByValue("only");
        new Select(browser.driver().findElement(By.name("step"))).selectByVisibleText("notification");
        browser.driver().findElement(By.cssSelector("#replay button[type=submit]")).click();
        browser.waitUntil("the replay request's answer", "return document.getElementById('replay-answer').textContent !== '';");
        Matcher answer = Pattern.compile("request #(\\d+) recorded").matcher(text("#replay-answer"));
        assertThat(answer.matches()).as(text("#replay-answer")).isTrue();
        String id = answer.group(1);
        assertThat(Db.rows(target, "SELECT id, plan, step, origin, state FROM replication.replay_requests"))
                .containsExactly(List.of(id, "only", "notification", "page", "pending"));
        // the page reads the requests again after the answer
        browser.waitUntil("the request in the requests table", "return document.querySelectorAll('#requests tbody tr').length === 1;");
        assertThat(rows("requests", "[0, 1, 2, 4].map(i => tr.cells[i].textContent)"))
                .isEqualTo("[[\"" + id + "\",\"only notification\",\"page\",\"pending\"]]");
    }

    /** The text of an element, as the page wrote it. */
    static String text(String selector) {
        return browser.driver().findElement(By.cssSelector(selector)).getText();
    }

    /** {@code cells} (an expression of {@code tr}) for each row of a table's body, as JSON. */
    static String rows(String table, String cells) {
        return browser.json("[...document.querySelectorAll('#" + table + " tbody tr')].map(tr => " + cells + ")");
    }

    /**
     * A chart's labels, datasets (label, data) and x-axis title, as Chart.js holds them, once it is drawn: a bar
     * placed on the canvas (at a finite position) for every value.
     */
    static JsonNode chart(String id) throws Exception {
        JsonNode chart = JSON.readTree(browser.json("(c => ({labels: c.data.labels, datasets: c.data.datasets.map(d => ({label: d.label,"
                + " data: d.data})), title: (c.options.scales.x.title || {}).text, drawn: c.data.datasets.every((d, i) =>"
                + " c.getDatasetMeta(i).data.length === d.data.length"
                + " && c.getDatasetMeta(i).data.every(bar => Number.isFinite(bar.x) && Number.isFinite(bar.y)))}))"
                + "(Chart.getChart('" + id + "'))"));
        assertThat(chart.get("drawn").asBoolean()).as(id + " drawn: " + chart).isTrue();
        return chart;
    }

    static List<String> labels(JsonNode chart) {
        return chart.get("datasets").findValuesAsText("label");
    }

    static String data(JsonNode chart, int dataset) {
        return chart.get("datasets").get(dataset).get("data").toString();
    }
}
