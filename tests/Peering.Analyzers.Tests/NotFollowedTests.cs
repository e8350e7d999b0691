namespace Peering.Analyzers.Tests;

/// <summary>
/// PSM107 and PSM109: what the analysis cannot follow is an error. Handlers, procedures and the
/// transition method are ordinary, synchronous, non-virtual methods the compiler never calls
/// implicitly; late-bound and unsafe access to machine members is reported.
/// </summary>
public class NotFollowedTests
{
    private const string States = "Closed, Opened, Slamming";

    private static string Machine(string members, string bases = "") => Sources.Door.Replace("public sealed partial class Door", "public sealed partial class Door" + bases) + $$"""
            [State, Handles(typeof(Push), typeof(Opened))] public sealed partial class Closed;
            [State, Continues(typeof(Closed))] public sealed partial class Opened;
            [State] public sealed partial class Slamming;

        {{members}}
        }
        """;

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult NotFollowed(int marker, string kind, string name, string reason) =>
        Verify.Diagnostic("PSM107").WithLocation(marker).WithArguments(kind, name, reason);

    [Fact]
    public Task Ordinary_handlers_and_procedures_do_not_fire() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Open(); }
            [Procedure(typeof(Closed))] internal void Open() { Move(DoorState.Opened); }
            public System.Collections.Generic.IEnumerable<int> Numbers() { yield return 1; }
            [Procedure(typeof(Closed))] private int Count() { System.Collections.Generic.IEnumerable<int> Local() { yield return 1; } return System.Linq.Enumerable.Count(Local()); }
            public async System.Threading.Tasks.Task Wait() => await System.Threading.Tasks.Task.Yield();
        """), States);

    [Fact]
    public Task Async_and_iterator_members_fire() => Verify.Analyzer(Machine("""
            [Handler] private async void {|#0:On|}(Push e) { await System.Threading.Tasks.Task.Yield(); Move(DoorState.Opened); }
            [Procedure(typeof(Closed))] private async System.Threading.Tasks.Task {|#1:OpenLater|}() { await System.Threading.Tasks.Task.Yield(); Move(DoorState.Opened); }
            [Procedure(typeof(Closed))] private System.Collections.Generic.IEnumerable<int> {|#2:Steps|}() { Move(DoorState.Opened); yield return 1; }
        """), States,
        NotFollowed(0, "Handler", "On", "it is async; moves after an await would happen outside the step"),
        NotFollowed(1, "Procedure", "OpenLater", "it is async; moves after an await would happen outside the step"),
        NotFollowed(2, "Procedure", "Steps", "it is an iterator; its body runs as the caller enumerates, outside the step"));

    [Fact]
    public Task Procedure_on_an_accessor_or_an_operator_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { }
            private int Knock { [Procedure(typeof(Closed))] {|#0:get|} { Move(DoorState.Opened); return 1; } }
            [Procedure(typeof(Closed))] public static Door operator {|#1:+|}(Door d, int n) => d;
        """), States,
        NotFollowed(0, "Procedure", "get_Knock", "it is an accessor; only ordinary methods are followed, and the compiler calls this one where no call is written"),
        NotFollowed(1, "Procedure", "op_Addition", "it is an operator; only ordinary methods are followed, and the compiler calls this one where no call is written"));

    [Fact]
    public Task Override_of_a_base_class_hook_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Run(); }
            [Procedure(typeof(Closed))] protected override void {|#0:Hook|}() { Move(DoorState.Opened); }
            [Procedure(typeof(Closed))] public override string {|#1:ToString|}() { Move(DoorState.Opened); return "door"; }
        """, " : Gadget") + """

        // A template method: Run calls Hook, and no call of Hook is written in the machine.
        public abstract class Gadget
        {
            public void Run() => Hook();
            protected abstract void Hook();
        }
        """, States,
        NotFollowed(0, "Procedure", "Hook", "it is abstract, virtual or an override; code outside the machine (a base class, a subclass) decides when it runs and what runs"),
        NotFollowed(1, "Procedure", "ToString", "it is abstract, virtual or an override; code outside the machine (a base class, a subclass) decides when it runs and what runs"));

    [Fact]
    public Task Helper_override_that_calls_a_procedure_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Run(); }
            [Procedure(typeof(Closed))] private void Open() { Move(DoorState.Opened); }
            protected override void Hook() { {|#0:Open()|}; }
        """, " : Gadget") + """

        public abstract class Gadget
        {
            public void Run() => Hook();
            protected abstract void Hook();
        }
        """, States,
        Verify.Diagnostic("PSM104").WithLocation(0).WithArguments("Procedure", "Open", "called in 'Hook'"));

    [Fact]
    public Task Interface_implementation_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { ((IStep)this).Go(); }
            [Procedure(typeof(Closed))] public void {|#0:Go|}() { Move(DoorState.Opened); }
            [Procedure(typeof(Closed))] void IStep.{|#1:Back|}() { Move(DoorState.Closed); }
        """, " : IStep") + """

        public interface IStep { void Go(); void Back(); }
        """, States,
        NotFollowed(0, "Procedure", "Go", "it implements an interface member, which other code may call through the interface"),
        NotFollowed(1, "Procedure", "T.IStep.Back", "it is an explicit interface implementation, which other code calls through the interface"));

    [Fact]
    public Task Procedure_the_compiler_calls_implicitly_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { foreach (var x in this) { } var (a, b) = this; }
            [Procedure(typeof(Closed))] public System.Collections.Generic.IEnumerator<int> {|#0:GetEnumerator|}() { Move(DoorState.Opened); yield break; }
            [Procedure(typeof(Closed))] public void {|#1:Deconstruct|}(out int a, out int b) { Move(DoorState.Opened); a = b = 0; }
        """), States,
        NotFollowed(0, "Procedure", "GetEnumerator", "it is an iterator; its body runs as the caller enumerates, outside the step"),
        NotFollowed(1, "Procedure", "Deconstruct", "the compiler calls a method named 'Deconstruct' implicitly (foreach, using, deconstruction, await, fixed, ranges) where no call is written"));

    [Fact]
    public Task Calls_through_dynamic_fire() => Verify.Analyzer(Machine("""
            [Procedure(typeof(Closed))] private void Open() { Move(DoorState.Opened); }
            [Handler]
            private void On(Push e)
            {
                {|#0:((dynamic)this).Open|}();
                {|#1:((dynamic)this).Move|}(DoorState.Slamming);
                dynamic self = this;
                {|#2:self.State|} = DoorState.Slamming;
                var unrelated = ((dynamic)e).Force;
            }
        """), States,
        Verify.Diagnostic("PSM109").WithLocation(0).WithArguments("'Open' of machine 'Door' is called through dynamic"),
        Verify.Diagnostic("PSM109").WithLocation(1).WithArguments("'Move' of machine 'Door' is called through dynamic"),
        Verify.Diagnostic("PSM109").WithLocation(2).WithArguments("'State' of machine 'Door' is assigned through dynamic"));

    [Fact]
    public Task Unsafe_accessor_into_a_machine_fires() => Verify.Analyzer(Machine("""
            [Handler] private void On(Push e) { Move(DoorState.Opened); }
        """) + """

        public static class Backdoor
        {
            [System.Runtime.CompilerServices.UnsafeAccessor(System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = "set_State")]
            public static extern void {|#0:SetState|}(Door door, DoorState state);
        }
        """, States,
        Verify.Diagnostic("PSM109").WithLocation(0).WithArguments("'SetState' is an [UnsafeAccessor] into machine 'Door'"));
}
