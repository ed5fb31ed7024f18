/* The simulated scenario the sensor models measure: a foot rolling the ball, pressing,
 * holding, releasing, at rest; used by ball-sim, the tests and the QEMU board. */
#include "sim_scenario.h"

#include <math.h>

void sim_scenario_init(sim_scenario_t *sc, uint32_t seed)
{
    sc->seed = seed;
    sc->baseline_pa = 101325.0;
    sc->pa_per_n = 60.0; /* the reference ball */
}

/* A 12 s cycle: at rest (0-1.5 s), rolling at light-moderate force with a hedgehog
 * ripple (1.5-5.5 s), pressing in (5.5-6.5 s), holding deep and still (6.5-9.5 s),
 * releasing (9.5-10.5 s), at rest again (10.5-12 s). */
double sim_scenario_force_n(double t_s)
{
    double c = fmod(t_s, 12.0);
    const double pi = 3.14159265358979;
    if (c < 1.5 || c >= 10.5)
        return 0.0;
    if (c < 5.5) {
        double r = c - 1.5;
        return 35.0 + 12.0 * sin(2 * pi * 0.5 * r) + 3.0 * sin(2 * pi * 14.0 * r);
    }
    if (c < 6.5)
        return 35.0 + (120.0 - 35.0) * (c - 5.5);
    if (c < 9.5)
        return 120.0 + 2.0 * sin(2 * pi * 0.7 * c);
    return 120.0 * (10.5 - c);
}

static double noise(uint32_t seed, uint64_t t_us, unsigned ch)
{
    /* A hash of time and channel: repeatable, independent of how often it is asked. */
    uint64_t x = t_us * 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed << 32) ^ ch * 0xBF58476D1CE4E5B9ull;
    x ^= x >> 31;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 29;
    return ((double)(x >> 11) / 9007199254740992.0) * 2.0 - 1.0;
}

void sim_scenario_truth(void *user, uint64_t t_us, sim_truth_t *out)
{
    const sim_scenario_t *sc = user;
    const double pi = 3.14159265358979;
    double t = (double)t_us / 1e6, c = fmod(t, 12.0) - 1.5;
    double force = sim_scenario_force_n(t);
    out->temp_c = 24.0 + 0.2 * sin(2 * pi * t / 600.0) + 0.005 * noise(sc->seed, t_us, 0);
    out->pressure_pa = sc->baseline_pa + sc->pa_per_n * force + 1.0 * noise(sc->seed, t_us, 1);
    /* Rolling back and forth about x: 200 dps peak; the gravity vector turns with it. */
    int rolling = c >= 0.0 && c < 4.0;
    double rate = rolling ? 200.0 * sin(2 * pi * 0.5 * c) : 0.0;
    double angle = rolling ? 200.0 / (2 * pi * 0.5) * (1 - cos(2 * pi * 0.5 * c)) * pi / 180.0 : 0.0;
    out->gyro_dps[0] = rate + 0.5 * noise(sc->seed, t_us, 2);
    out->gyro_dps[1] = 0.5 * noise(sc->seed, t_us, 3);
    out->gyro_dps[2] = 0.5 * noise(sc->seed, t_us, 4);
    out->accel_g[0] = 0.01 * noise(sc->seed, t_us, 5);
    out->accel_g[1] = sin(angle) + 0.01 * noise(sc->seed, t_us, 6);
    out->accel_g[2] = cos(angle) + 0.01 * noise(sc->seed, t_us, 7);
}
