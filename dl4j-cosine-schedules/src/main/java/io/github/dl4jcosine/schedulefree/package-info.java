/**
 * Schedule-free optimization (Defazio et al., "The Road Less Scheduled", NeurIPS 2024) for DL4J: no
 * learning-rate schedule at all. {@link io.github.dl4jcosine.schedulefree.ScheduleFreeAdamW} and
 * {@link io.github.dl4jcosine.schedulefree.ScheduleFreeSgd} are updater configurations (use them where an
 * {@code Adam} or {@code Sgd} would go; their class names are written into saved models) computing what the
 * {@code schedulefree} 1.4.1 package computes. Start with {@link io.github.dl4jcosine.schedulefree.ScheduleFree}:
 * {@code prepare(net)} after {@code init()} or a load (needed with weight decay), and
 * {@code try (ScheduleFree.EvalMode x = ScheduleFree.evalMode(net)) { ... }} to evaluate or export at the averaged
 * parameters, plus the BatchNorm, EarlyStoppingTrainer and ParallelWrapper rules its javadoc states.
 */
package io.github.dl4jcosine.schedulefree;
