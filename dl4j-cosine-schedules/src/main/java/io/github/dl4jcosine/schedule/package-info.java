/**
 * Learning-rate (and momentum) schedules for DL4J: each class is a pure value class implementing ND4J's
 * {@link org.nd4j.linalg.schedule.ISchedule}, with its formula in the class javadoc, checked arguments and strict
 * JSON (a misspelt property fails, naming it). Their class names are written into saved network JSON, so they never
 * move.
 *
 * <p>Where to start: {@link io.github.dl4jcosine.schedule.Schedules}, the facade, with one name per family
 * ({@code cosine}, {@code sgdr}, {@code warmupCosine}, {@code oneCycle}, {@code wsd}, {@code linear},
 * {@code warmup}, {@code sequence}, {@code product}): {@code Schedules.NAME(unit)} returns a builder,
 * {@code Schedules.NAME(unit, ...)} the schedule. {@link io.github.dl4jcosine.schedule.ScheduleInfo} tells any
 * schedule's unit and where it stops changing (used by the check and preview packages).
 */
package io.github.dl4jcosine.schedule;
