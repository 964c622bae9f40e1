using Spectre.Console;

namespace Claudit.Cli;

/// <summary>Where a command reads and writes: the process's streams, or in-memory ones in tests.</summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, Func<Stream> openInput, bool interactive = false, Func<string, string?>? environment = null)
    {
        Out = output;
        Error = error;
        OpenInput = openInput;
        Interactive = interactive;
        Environment = environment ?? global::System.Environment.GetEnvironmentVariable;
    }

    public static CliConsole System => new(
        Console.Out,
        Console.Error,
        Console.OpenStandardInput,
        interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public Func<Stream> OpenInput { get; }

    /// <summary>Environment variables (<c>CLAUDIT_*</c> settings); a dictionary in tests, so they do not share the process's.</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>A person is watching: progress may be drawn on standard error.</summary>
    public bool Interactive { get; }

    /// <summary>A Spectre console over <see cref="Out"/> (or <see cref="Error"/>, for progress); plain text when not a terminal.</summary>
    public IAnsiConsole CreateAnsi(bool onError = false)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(onError ? Error : Out),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!Interactive)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
