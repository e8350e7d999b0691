global using PeeringTools = Peering.StateMachines.Tools.MachineTools<
    Peering.Machine.PeeringMachine.Contract, Peering.Machine.PeeringMachine, Peering.Machine.PgState, Peering.Machine.PgEvent,
    Peering.Machine.PgEffect, Peering.Machine.PgSnapshot, Peering.Machine.PeeringMachineChecks>;
