package io.github.dl4jcosine.schedule;

import org.nd4j.linalg.schedule.ScheduleType;

/** Our schedules whose periods have a unit: used to refuse silent unit mixing in wrappers. */
interface TimedSchedule extends BoundedSchedule {

    ScheduleType getScheduleType();

    int getIterationsPerEpoch();
}
