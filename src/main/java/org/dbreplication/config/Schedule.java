package org.dbreplication.config;

import com.cronutils.mapper.CronMapper;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.ZoneId;

/**
 * A cron schedule as the original read it (node-cron): 5 fields (minute hour day-of-month month day-of-week, Unix
 * numbering) or 6 with seconds first, converted to the Quartz expression the scheduler route uses.
 */
public record Schedule(String expression, String quartzExpression, ZoneId zone) {

    public static Schedule parse(String variable, String expression, ZoneId zone) {
        String trimmed = expression.strip().replaceAll("\\s+", " ");
        int fields = trimmed.split(" ").length;
        CronType type = switch (fields) {
            case 5 -> CronType.UNIX;
            case 6 -> CronType.SPRING;
            default -> throw new ConfigException(variable, "must be a cron expression of 5 fields (minute hour day month"
                    + " weekday, e.g. '10 5 * * *') or 6 with seconds first, got '" + expression + "'");
        };
        try {
            Cron cron = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(type)).parse(trimmed);
            cron.validate();
            CronMapper mapper = type == CronType.UNIX ? CronMapper.fromUnixToQuartz() : CronMapper.fromSpringToQuartz();
            return new Schedule(trimmed, mapper.map(cron).asString(), zone);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(variable, "is not a valid cron expression ('" + expression + "'): " + e.getMessage());
        }
    }
}
