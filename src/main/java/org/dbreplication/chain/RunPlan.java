package org.dbreplication.chain;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The steps one run executes, in chain order: all of them, one ({@code --only}) or the tail of the chain from one
 * ({@code --from}, how an operator replays a failed step). Read by the chain route.
 */
public record RunPlan(List<Step> steps) {

    public static final String PROPERTY = "plan";

    public static RunPlan all(List<Step> available) {
        return new RunPlan(List.copyOf(available));
    }

    public static RunPlan only(Step step) {
        return new RunPlan(List.of(step));
    }

    public static RunPlan from(Step first, List<Step> available) {
        return new RunPlan(available.stream().filter(s -> s.ordinal() >= first.ordinal()).toList());
    }

    /** Used by routes/chain.yaml: {@code ${exchangeProperty.plan.includes('full')}}. */
    public boolean includes(String stepId) {
        return steps.stream().anyMatch(s -> s.id().equals(stepId));
    }

    @Override
    public String toString() {
        return steps.stream().map(Step::id).collect(Collectors.joining(" → "));
    }
}
