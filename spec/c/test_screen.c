/* test_screen.c - the screening batch kernel (csrc/screen.c) on hand-built tables:
 * segment boundaries (half-open), destination and headquarters classes, outputs,
 * and the errors for bad tables and bad rows. */
#include "tap.h"
#include "tpp.h"

#include <math.h>
#include <string.h>

/* Two segments (from 20230101 and 20240101), 2 chips, 3 destinations, 1 headquarters country;
 * destination classes: dest 0 and 2 share class 0 in segment 0, split in segment 1. */
static tpp_screen_table *small_table(void) {
  tpp_error err;
  tpp_screen_table *t = tpp_screen_table_new(2, 2, 3, 1, 2, 2, &err);
  int s, c, dc, hc;
  if (!t) return NULL;
  t->seg_start[0] = 20230101;
  t->seg_start[1] = 20240101;
  /* [S][D] */
  t->dest_class[0] = 0; t->dest_class[1] = 1; t->dest_class[2] = 0;
  t->dest_class[3] = 0; t->dest_class[4] = 1; t->dest_class[5] = 1;
  /* [S][H + 1]: none -> 0, hq 0 -> 1 */
  t->hq_class[0] = 0; t->hq_class[1] = 1; t->hq_class[2] = 0; t->hq_class[3] = 1;
  /* decision = (s + c + dc + hc) % 4; review = 10 * s + dc; regimes = 1 << (c + 2 * hc) */
  for (s = 0; s < 2; s++)
    for (c = 0; c < 2; c++)
      for (dc = 0; dc < 2; dc++)
        for (hc = 0; hc < 2; hc++) {
          int cell = ((s * 2 + c) * 2 + dc) * 2 + hc;
          t->decision[cell] = (int8_t)((s + c + dc + hc) % 4);
          t->review[cell] = (int8_t)(10 * s + dc);
          t->regimes[cell] = 1u << (c + 2 * hc);
        }
  return t;
}

TAP_TEST(screen_lookup_and_boundaries) {
  tpp_error err;
  tpp_screen_table *t = small_table();
  double chip[6] = {0, 1, 0, 0, 1, 0};
  double dest[6] = {0, 1, 2, 2, 2, 0};
  double hq[6] = {-1, 0, NAN, -1, 0, 0};
  double date[6] = {20230101, 20231231, 20231231, 20240101, 20240101, 20991231};
  int8_t decision[6], review[6];
  double regimes[6];
  int i;
  TAP_OK(t != NULL, "table allocated");
  TAP_INT(tpp_screen_table_check(t, &err), TPP_OK, "table checks");
  TAP_INT(tpp_screen_batch(t, chip, dest, hq, date, 6, decision, review, regimes, 1, &err), TPP_OK, "batch runs");
  /* row 0: s0 c0 dest0->dc0 none->hc0 : 0 */
  TAP_INT(decision[0], 0, "first day of the first segment");
  /* row 1: s0 c1 dest1->dc1 hq0->hc1 : (0+1+1+1)%4 = 3 */
  TAP_INT(decision[1], 3, "last day of the first segment");
  TAP_INT(review[1], 1, "review code of segment 0, class 1");
  TAP_NEAR(regimes[1], 8, 0, "regimes bit of chip 1 with headquarters");
  /* row 2: s0 c0 dest2->dc0 NaN hq -> none : 0 */
  TAP_INT(decision[2], 0, "NaN headquarters is none; dest 2 shares class 0 in segment 0");
  /* row 3: s1 c0 dest2->dc1 none : (1+0+1+0)%4 = 2 -- the class of dest 2 changed on 20240101 */
  TAP_INT(decision[3], 2, "on the boundary the new segment (and class) applies");
  TAP_INT(review[3], 11, "review code of segment 1, class 1");
  /* row 4: s1 c1 dc1 hc1 : (1+1+1+1)%4 = 0 */
  TAP_INT(decision[4], 0, "chip 1 with headquarters in segment 1");
  /* row 5: s1 c0 dc0 hc1 : (1+0+0+1)%4 = 2 */
  TAP_INT(decision[5], 2, "the last segment runs on");
  for (i = 0; i < 6; i++) decision[i] = -5;
  TAP_INT(tpp_screen_batch(t, chip, dest, hq, date, 6, decision, NULL, NULL, 2, &err), TPP_OK,
          "outputs review and regimes are optional; two threads");
  TAP_INT(decision[3], 2, "same answer on two threads");
  tpp_screen_table_free(t);
}

TAP_TEST(screen_bad_rows) {
  tpp_error err;
  tpp_screen_table *t = small_table();
  double chip[3] = {0, 0, 2};
  double dest[3] = {0, 0, 0};
  double date[3] = {20230105, 20221231, 20230105};
  int8_t decision[3];
  TAP_INT(tpp_screen_batch(t, chip, dest, NULL, date, 3, decision, NULL, NULL, 1, &err), TPP_E_ARG,
          "a date before the first segment fails");
  TAP_INT(err.row, 1, "the error names row 2 (index 1)");
  TAP_OK(strstr(err.message, "before 20230101") != NULL, "message: %s", err.message);
  date[1] = 20230230;
  TAP_INT(tpp_screen_batch(t, chip, dest, NULL, date, 3, decision, NULL, NULL, 1, &err), TPP_E_ARG,
          "a day that does not exist fails");
  TAP_OK(strstr(err.message, "not a YYYYMMDD date") != NULL, "message: %s", err.message);
  date[1] = 20230105;
  TAP_INT(tpp_screen_batch(t, chip, dest, NULL, date, 3, decision, NULL, NULL, 1, &err), TPP_E_ARG,
          "a chip index out of range fails");
  TAP_INT(err.row, 2, "the error names the row");
  TAP_OK(strstr(err.message, "chip 2, expected an index 0..1") != NULL, "message: %s", err.message);
  chip[2] = 0.5;
  TAP_INT(tpp_screen_batch(t, chip, dest, NULL, date, 3, decision, NULL, NULL, 1, &err), TPP_E_ARG,
          "a fractional index fails");
  TAP_INT(tpp_screen_batch(t, NULL, dest, NULL, date, 3, decision, NULL, NULL, 1, &err), TPP_E_ARG,
          "a missing column fails");
  tpp_screen_table_free(t);
}

TAP_TEST(screen_bad_tables) {
  tpp_error err;
  tpp_screen_table *t = small_table();
  TAP_OK(tpp_screen_table_new(0, 1, 1, 0, 1, 1, &err) == NULL, "zero segments refused");
  TAP_INT(err.code, TPP_E_ARG, "as an argument error");
  t->seg_start[1] = 20230101;
  TAP_INT(tpp_screen_table_check(t, &err), TPP_E_ARG, "starts must increase");
  t->seg_start[1] = 20240101;
  t->dest_class[2] = 2;
  TAP_INT(tpp_screen_table_check(t, &err), TPP_E_ARG, "a destination class out of range");
  t->dest_class[2] = 0;
  t->decision[5] = 7;
  TAP_INT(tpp_screen_table_check(t, &err), TPP_E_ARG, "a decision code out of range");
  tpp_screen_table_free(t);
  tpp_screen_table_free(NULL);
}
