namespace PrunerPipeline.Cli.Demo;

/// <summary>Where the demo reports what it is doing: Spectre progress bars on a console, nothing in tests.</summary>
public interface IStageProgress
{
    /// <param name="task">A bar's name, e.g. "O1-Pruner: training"; created on first use.</param>
    void Report(string task, double done, double total, string? detail = null);

    void Complete(string task, string? detail = null);

    void Log(string line);

    public static IStageProgress None { get; } = new SilentProgress();

    private sealed class SilentProgress : IStageProgress
    {
        public void Report(string task, double done, double total, string? detail = null)
        {
        }

        public void Complete(string task, string? detail = null)
        {
        }

        public void Log(string line)
        {
        }
    }
}
