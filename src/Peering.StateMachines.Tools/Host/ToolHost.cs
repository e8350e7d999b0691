using System.CommandLine;

namespace Peering.StateMachines.Tools;

/// <summary>
/// Turns a declared machine into a command-line tool: <c>replay</c>, <c>shrink</c>, <c>stats</c> and
/// <c>diagram</c> from its declarations alone, <c>generate</c>, <c>fuzz</c> and <c>replay-fuzz</c> with an event source,
/// <c>explore</c> with an exploration world. Every command has the options, exit codes
/// (<see cref="ExitCodes"/>), progress display and error format of <c>peering</c>, which is this host
/// plus what only peering has.
/// </summary>
/// <example>
/// <code>
/// return ToolHost.Create(Turnstile.Types, "turnstile")
///     .WithEvents(new TurnstileEvents())
///     .Run(args);
/// </code>
/// </example>
public static class ToolHost
{
    /// <summary>A tool named <paramref name="name"/> (how it is run; usage errors and reproduce commands say it) for the machine of <paramref name="machine"/>.</summary>
    public static MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>.Host Create<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>(
        MachineTypes<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks> machine, string name, string? description = null)
        where TContract : struct, IMachineContract<TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
        where TMachine : class
        where TState : struct
        where TEvent : class
        where TEffect : class
        where TSnapshot : class
        where TChecks : struct
    {
        _ = machine;
        return new(name, description ?? $"{name}: trace tools for the {TContract.Definition.Name} state machine");
    }

    /// <summary>
    /// Parses <paramref name="args"/> against <paramref name="root"/> and runs the command (help and
    /// version go to <paramref name="stdout"/>); a usage error is
    /// one line per problem on standard error, then <c>Run 'TOOL --help' for usage.</c>, and exit code 2.
    /// Whatever the command throws is reported here as one line and its exit code (<see cref="ToolErrors"/>);
    /// a command stopped by a signal exits 128 + the signal.
    /// </summary>
    public static int Run(RootCommand root, string tool, string[] args, TextWriter stdout, TextWriter stderr, ToolSignals? signals = null)
    {
        try
        {
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors)
                {
                    ToolErrors.Say(stderr, MalformedTraceException.Printable($"{tool}: {UsageMessage(error)}", int.MaxValue));
                }

                ToolErrors.Say(stderr, $"Run '{tool} --help' for usage.");
                return ExitCodes.Usage;
            }

            var exit = parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
            stdout.Flush();
            return exit == ExitCodes.Interrupted && signals is not null ? signals.ExitCode : exit;
        }
        catch (Exception x)
        {
            return ToolErrors.Report(tool, x, stderr, signals);
        }
    }

    // The parser's message in the tool's words: the option as typed, no .NET type names.
    private static string UsageMessage(System.CommandLine.Parsing.ParseError error)
    {
        var message = error.Message;
        var typed = error.SymbolResult is System.CommandLine.Parsing.OptionResult { IdentifierToken: { } identifier } ? identifier.Value : null;
        var cannot = System.Text.RegularExpressions.Regex.Match(message, "^Cannot parse argument '(.*)' for (?:option|command) '(.*)' as expected type '(.*)'\\.$", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (cannot.Success)
        {
            return $"{typed ?? cannot.Groups[2].Value} {cannot.Groups[1].Value}: expected {Describe(cannot.Groups[3].Value)}";
        }

        var unknown = System.Text.RegularExpressions.Regex.Match(message, "^Unrecognized command or argument '(.*)'\\.$", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (unknown.Success)
        {
            var token = unknown.Groups[1].Value;
            return token.StartsWith('-') && token != "-" ? $"unknown option '{token}'" : $"unexpected argument '{token}'";
        }

        return message;
    }

    private static string Describe(string type) => type switch
    {
        "System.Int32" => "a whole number",
        "System.Int64" => "a whole number",
        "System.UInt64" => "a whole number from 0 to 18446744073709551615",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        _ => "a valid value",
    };
}

public static partial class MachineTools<TContract, TMachine, TState, TEvent, TEffect, TSnapshot, TChecks>
{
    /// <summary>The command-line host of this machine (made by <see cref="ToolHost.Create"/>).</summary>
    public sealed class Host
    {
        private readonly List<Func<ToolEnvironment, Command>> _extra = [];
        private readonly List<CheckAlias> _aliases = [];

        internal Host(string name, string description)
        {
            Name = name;
            Description = description;
        }

        /// <summary>The tool's name.</summary>
        public string Name { get; }

        /// <summary>The root command's description.</summary>
        public string Description { get; }

        /// <summary>The event source of <c>generate</c>, <c>fuzz</c> and <c>stats --versus-generated</c>, if any.</summary>
        public IEventSource<TSnapshot, TEvent>? Events { get; private set; }

        /// <summary>The profile <c>fuzz</c> uses by default (the event source's first).</summary>
        public string? FuzzProfile { get; private set; }

        /// <summary>The profile <c>generate</c> uses by default (the event source's first).</summary>
        public string? GenerateProfile { get; private set; }

        /// <summary>What <c>replay-fuzz</c> knows of external implementations (null: the toolkit's defaults).</summary>
        public ExternalImplementation? External { get; private set; }

        /// <summary>The exploration setup of <c>explore</c>, if any.</summary>
        public ExplorationSetup? Exploration { get; private set; }

        /// <summary>The <c>--events</c> bound of generated trace <c>seed</c> in <c>stats --versus-generated</c> (default 256).</summary>
        public Func<ulong, long> SampleEvents { get; private set; } = _ => 256;

        /// <summary>Options that stand for <c>--require-check NAME</c>.</summary>
        public IReadOnlyList<CheckAlias> CheckAliases => _aliases;

        /// <summary>Adds <c>generate</c> and <c>fuzz</c> (and <c>stats --versus-generated</c>) over <paramref name="events"/>.</summary>
        /// <param name="fuzzProfile">The default profile of <c>fuzz</c>; the source's first when null.</param>
        /// <param name="generateProfile">The default profile of <c>generate</c>; the source's first when null.</param>
        public Host WithEvents(IEventSource<TSnapshot, TEvent> events, string? fuzzProfile = null, string? generateProfile = null)
        {
            ArgumentNullException.ThrowIfNull(events);
            if (events.Profiles.Count == 0)
            {
                throw new ArgumentException("an event source has at least one profile", nameof(events));
            }

            Events = events;
            FuzzProfile = fuzzProfile ?? events.Profiles[0];
            GenerateProfile = generateProfile ?? events.Profiles[0];
            return this;
        }

        /// <summary>Configures <c>replay-fuzz</c> (which comes with the event source) for this machine's external implementations.</summary>
        public Host WithExternal(ExternalImplementation external)
        {
            External = external ?? throw new ArgumentNullException(nameof(external));
            return this;
        }

        /// <summary>Adds <c>explore</c> over the worlds <paramref name="setup"/> makes from its options.</summary>
        public Host WithExploration(ExplorationSetup setup)
        {
            Exploration = setup ?? throw new ArgumentNullException(nameof(setup));
            return this;
        }

        /// <summary>Adds <c>explore</c> over one fixed <paramref name="world"/>, described by <paramref name="description"/>.</summary>
        public Host WithExploration(IExplorationWorld<TSnapshot, TEvent> world, string description) =>
            WithExploration(new ExplorationSetup([], _ => new WorldChoice(world, description, [], null)));

        /// <summary>The <c>--events</c> bound per seed of the generated sample of <c>stats --versus-generated</c>.</summary>
        public Host WithSampleEvents(Func<ulong, long> eventsFor)
        {
            SampleEvents = eventsFor ?? throw new ArgumentNullException(nameof(eventsFor));
            return this;
        }

        /// <summary>Adds <paramref name="option"/> (for example <c>--require-image-invariant</c>) to <c>fuzz</c> and <c>shrink</c>: it means <c>--require-check <paramref name="check"/></c>.</summary>
        /// <exception cref="ArgumentException"><paramref name="check"/> is not a check of the machine.</exception>
        public Host WithCheckAlias(string option, string check)
        {
            CheckIndices([check]);
            _aliases.Add(new CheckAlias(option, check));
            return this;
        }

        /// <summary>Adds a command of the tool's own, or replaces the built-in command of the same name.</summary>
        public Host WithCommand(Func<ToolEnvironment, Command> command)
        {
            _extra.Add(command ?? throw new ArgumentNullException(nameof(command)));
            return this;
        }

        /// <summary>The root command, its subcommands bound to <paramref name="env"/>.</summary>
        public RootCommand Build(ToolEnvironment env)
        {
            var commands = new List<Command> { ReplayCommand.Create(this, env), StatsCommand.Create(this, env), ShrinkCommand.Create(this, env), DiagramCommand.Create(this, env) };
            if (Events is not null)
            {
                commands.Insert(0, FuzzCommand.Create(this, env));
                commands.Insert(1, GenerateCommand.Create(this, env));
                commands.Insert(2, ReplayFuzzCommand.Create(this, env));
            }

            if (Exploration is not null)
            {
                commands.Add(ExploreCommand.Create(this, env));
            }

            foreach (var make in _extra)
            {
                var command = make(env);
                commands.RemoveAll(c => c.Name == command.Name);
                commands.Add(command);
            }

            var root = new RootCommand(Description);
            foreach (var command in commands)
            {
                root.Subcommands.Add(command);
            }

            return root;
        }

        /// <summary>Runs the command <paramref name="args"/> name on the console; the exit code.</summary>
        public int Run(string[] args)
        {
            using var signals = ToolSignals.Register();
            return Run(args, ToolEnvironment.Console(signals));
        }

        /// <summary>Runs the command <paramref name="args"/> name in <paramref name="env"/>; the exit code.</summary>
        public int Run(string[] args, ToolEnvironment env)
        {
            RootCommand root;
            try
            {
                root = Build(env);
            }
            catch (Exception x)
            {
                return ToolErrors.Report(Name, x, env.Error, env.Signals);
            }

            return ToolHost.Run(root, Name, args, env.Out, env.Error, env.Signals);
        }

        /// <summary>A usage error found after parsing: one line and exit code 2.</summary>
        internal int UsageError(ToolEnvironment env, string message)
        {
            env.Error.WriteLine($"{Name}: {message}");
            env.Error.WriteLine($"Run '{Name} --help' for usage.");
            return ExitCodes.Usage;
        }
    }

    /// <summary>
    /// The world options of <c>explore</c> and how they make a world: <paramref name="Create"/> reads the
    /// parsed options and gives the world, or a usage error.
    /// </summary>
    public sealed record ExplorationSetup(IReadOnlyList<Option> Options, Func<ParseResult, WorldChoice> Create);

    /// <summary>
    /// A world to explore, or (with a null <paramref name="World"/>) the usage error in <paramref name="Description"/>:
    /// its one-line description, the parameters the JSON report lists, and the step pairs it expects reached.
    /// </summary>
    public sealed record WorldChoice(IExplorationWorld<TSnapshot, TEvent>? World, string Description, IReadOnlyList<KeyValuePair<string, object>> Parameters, ExpectedStepPairs? Expected);
}

/// <summary>An option that stands for <c>--require-check Check</c>.</summary>
public sealed record CheckAlias(string Option, string Check);
