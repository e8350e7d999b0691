using Peering.StateMachines;

namespace Peering.Machine;

public sealed partial class PeeringMachine
{
    /// <summary>DeleteStart (REDUCER.md §7.11), from any state; note DeactivatePG precedes CancelRecovery here.</summary>
    [Handler]
    private void On(DeleteStart e)
    {
        if (IsActive(State))
        {
            Emit(new DeactivatePg(_pgid));
        }

        if (State == PgState.Recovering)
        {
            Emit(new CancelRecovery(_pgid));
        }

        Move(PgState.Deleting, "delete requested");
        Emit(new DeletePg(_pgid));
    }
}
