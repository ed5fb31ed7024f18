/* The default scenario the simulated sensors measure (see sim_scenario.c). */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdint.h>

#include "sim_sensors.h"

/* A foot rolling the ball, pressing, holding, releasing, at rest. */
typedef struct {
    uint32_t seed;
    double baseline_pa; /* unloaded pressure inside the ball */
    double pa_per_n;
} sim_scenario_t;

void sim_scenario_init(sim_scenario_t *sc, uint32_t seed);
void sim_scenario_truth(void *user, uint64_t t_us, sim_truth_t *out);
/* The force the scenario applies at a time, in newtons. */
double sim_scenario_force_n(double t_s);

#endif
