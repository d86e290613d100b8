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

    /** How to replay what this plan had left to do from {@code step}: {@code run --only STEP} or {@code run --from STEP}. */
    public String replayCommand(String step) {
        return "run " + (steps.size() == 1 ? "--only " : "--from ") + step;
    }

    public static RunPlan from(Step first, List<Step> available) {
        return new RunPlan(available.stream().filter(s -> s.ordinal() >= first.ordinal()).toList());
    }

    /**
     * The plan of a replay request: {@code all}, {@code from} STEP or {@code only} STEP.
     *
     * @throws IllegalArgumentException naming the unknown kind or step
     */
    public static RunPlan of(String kind, String step, List<Step> available) {
        if ("all".equals(kind)) {
            return all(available);
        }
        if (!"from".equals(kind) && !"only".equals(kind)) {
            throw new IllegalArgumentException("unknown plan '" + kind + "'; plans are all, from, only");
        }
        if (step == null || step.isBlank()) {
            throw new IllegalArgumentException("the plan '" + kind + "' needs a step; steps are " + available.stream()
                    .map(Step::id).collect(Collectors.joining(", ")));
        }
        Step named = Step.byId(step).filter(available::contains).orElseThrow(() ->
                new IllegalArgumentException("unknown step '" + step + "'; steps are " + available.stream().map(Step::id)
                        .collect(Collectors.joining(", "))));
        return "from".equals(kind) ? from(named, available) : only(named);
    }

    /** How a replay request records this plan: all, from (its first step) or only. */
    public String kind(List<Step> available) {
        if (steps.equals(available)) {
            return "all";
        }
        return steps.size() == 1 ? "only" : "from";
    }

    /** The step a replay request records (null for all). */
    public String firstStep(List<Step> available) {
        return kind(available).equals("all") ? null : steps.get(0).id();
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
