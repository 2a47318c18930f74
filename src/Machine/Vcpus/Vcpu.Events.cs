using IrqBench.Machine.Costs;

namespace IrqBench.Machine.Vcpus;

public sealed partial class Vcpu
{
    private bool inIrq;

    public void OnEvent(int kind, long arg)
    {
        long t = Vm.Queue.Now;
        switch (kind)
        {
            case EvStep or EvFlagSeen or EvHaltPollEnd when arg != activityGen:
                return; // the activity it belonged to already ended
            case EvTimer when !Timer.Fire(arg):
                return; // reprogrammed or disabled since
        }
        if (State == VcpuState.Stopped) return;
        if (State != VcpuState.Halted && t < BusyUntil)
        {
            // The burst that is in progress on the timeline ends first (see the class remarks).
            long a = kind == EvKick ? (t >= LastEntryAt ? 1 : 0) : arg;
            Vm.Queue.Post(BusyUntil, this, kind, a);
            return;
        }
        Now = Math.Max(t, BusyUntil);

        switch (kind)
        {
            case EvStart:
                RunProgram(start: true);
                break;
            case EvStep when activity == Activity.Work:
                m.GuestCycles.Value += Now - workStart;
                workRemaining = 0;
                RunProgram(start: false);
                break;
            case EvStep: // WFI that did not need to wait
                if (!TakePendingIrqs()) RunProgram(start: false);
                break;
            case EvFlagSeen:
                m.GuestCycles.Value += Now - spinStart;
                spinFlag = null;
                RunProgram(start: false);
                break;
            case EvKick when State == VcpuState.Halted:
            case EvIrqLine when State == VcpuState.Halted:
                HaltedWake();
                break;
            case EvKick when arg == 0:
                // The kick found the vCPU in the hypervisor: no IPI exit (kvm_vcpu_kick only interrupts a vCPU in
                // guest mode); the request is served by the entry that followed. That entry's flush ran in the burst,
                // before this state change was processed, so the controller's fold and flush are replayed here,
                // without the exit and entry path costs.
                m.KicksNoExit.Value++;
                Suspend();
                State = VcpuState.InHypervisor;
                Vm.Controller.OnGuestExit(this);
                Vm.Controller.OnGuestEntry(this);
                State = VcpuState.RunningGuest;
                bool took = CanTakeIrq();
                if (took) HandleIrqs();
                Continue(took);
                break;
            case EvKick:
                PhysicalIrqExit(ExitReason.Kick, 0);
                break;
            case EvPause when State != VcpuState.Halted:
                PhysicalIrqExit(ExitReason.Kick, arg);
                break;
            case EvMaintenance when State != VcpuState.Halted:
                PhysicalIrqExit(ExitReason.Maintenance, 0);
                break;
            case EvIrqLine:
                TakePendingIrqs();
                break;
            case EvTimer when State == VcpuState.Halted:
                // KVM's background timer for a blocked vCPU (kvm_bg_timer_expire): inject, then wake. The host's
                // handling runs on the host, not on this vCPU's time.
                Vm.Controller.OnVirtualTimerExpired(this);
                HaltedWake();
                break;
            case EvTimer when Vm.Controller.TimerExpiryExits:
                PhysicalIrqExit(ExitReason.Timer, 0);
                break;
            case EvTimer:
                Vm.Controller.OnVirtualTimerExpired(this);
                TakePendingIrqs();
                break;
            case EvHaltPollEnd:
                haltPolling = false;
                m.HaltSleeps.Value++;
                break;
        }
        BusyUntil = Now;
    }

    /// <summary>At the end of a run, books the time of the activity still in progress (work, spinning, halt) up to
    /// <paramref name="end"/>, so that guest, hypervisor and idle cycles cover the whole run.</summary>
    internal void CloseAccounts(long end)
    {
        if (end <= BusyUntil && State != VcpuState.Halted) return;
        switch (State)
        {
            case VcpuState.Halted:
                m.IdleCycles.Value += Math.Max(0, end - haltStart);
                haltStart = end;
                return;
            case VcpuState.RunningGuest when activity == Activity.Work:
                m.GuestCycles.Value += Math.Max(0, end - workStart);
                workStart = end;
                return;
            case VcpuState.RunningGuest when activity == Activity.Spin:
                m.GuestCycles.Value += Math.Max(0, end - spinStart);
                spinStart = end;
                return;
        }
    }

    private void RunProgram(bool start)
    {
        choseActivity = false;
        activity = Activity.None;
        if (start) program!.Start(this); else program!.Resume(this);
        if (!choseActivity)
            throw new InvalidOperationException($"{Id}: the guest program returned without choosing an activity");
        choseActivity = false;
        TakePendingIrqs();
    }

    private bool CanTakeIrq() =>
        State == VcpuState.RunningGuest && !IrqsMasked && !inIrq && activity != Activity.Stopped
        && Vm.Controller.IrqLineAsserted(this);

    /// <summary>Takes the IRQ exception if the virtual IRQ line is up and the guest has IRQs unmasked: the current
    /// activity is suspended, the handler runs (again while the line stays up), and the activity continues.</summary>
    private bool TakePendingIrqs()
    {
        if (!CanTakeIrq()) return false;
        Suspend();
        HandleIrqs();
        Continue(irqTaken: true);
        return true;
    }

    private void HandleIrqs()
    {
        int n = 0;
        do
        {
            Compute(costs.GuestIrqException);
            inIrq = true;
            IrqsMasked = true;
            program!.OnIrq(this);
            inIrq = false;
            IrqsMasked = false;
            if (++n > 100_000) throw new InvalidOperationException($"{Id}: the IRQ line stays up after 100000 exceptions at {Now}: the handler never clears it");
        } while (State == VcpuState.RunningGuest && Vm.Controller.IrqLineAsserted(this));
    }

    /// <summary>Stops the clock of the current activity (work progress, spinning) while something else runs.</summary>
    private void Suspend()
    {
        switch (activity)
        {
            case Activity.Work:
                m.GuestCycles.Value += Now - workStart;
                workRemaining = Math.Max(0, workEnd - Now);
                break;
            case Activity.Spin:
                m.GuestCycles.Value += Now - spinStart;
                spinFlag?.RemoveSpinner(this);
                break;
        }
        activityGen++;
    }

    private void Continue(bool irqTaken)
    {
        switch (activity)
        {
            case Activity.Work when preemptRequested:
                preemptRequested = false;
                WorkLeft = workRemaining;
                workRemaining = 0;
                RunProgram(start: false);
                break;
            case Activity.Work:
                StartWorkSegment();
                break;
            case Activity.Spin:
                spinStart = Now;
                if (spinFlag!.IsSet) PostFlagSeen(spinFlag);
                else spinFlag.AddSpinner(this);
                break;
            case Activity.Wfi when irqTaken:
                RunProgram(start: false); // WFI returned and the interrupt that ended it was handled
                break;
            case Activity.Wfi:
                Vm.Queue.Post(Math.Max(Now, Vm.Queue.Now), this, EvStep, activityGen);
                break;
        }
    }

    /// <summary>A physical interrupt (kick IPI, maintenance interrupt, vtimer PPI) makes the running vCPU exit to the
    /// host kernel; the controller folds and flushes around the host's handling.</summary>
    private void PhysicalIrqExit(ExitReason reason, long pausedUntil)
    {
        Suspend();
        BeginExit(reason, Placement.HostKernel);
        if (reason == ExitReason.Timer)
        {
            ChargeHyp(costs.VtimerHandler);
            Vm.Controller.OnVirtualTimerExpired(this);
        }
        else ChargeHyp(costs.HostIrq);
        if (pausedUntil > Now) ChargeHyp(pausedUntil - Now); // halted by another vCPU's stop-the-world
        EndExit(Placement.HostKernel);
        bool taken = CanTakeIrq();
        if (taken) HandleIrqs();
        Continue(taken);
    }

    /// <summary>A halted vCPU is woken: if it has a pending interrupt it leaves the halt (cheaply while KVM is still
    /// halt-polling, through the host scheduler once the thread sleeps) and re-enters; otherwise it stays halted.</summary>
    private void HaltedWake()
    {
        if (!Vm.Controller.HasPendingForWake(this) && !Vm.Controller.IrqLineAsserted(this))
        {
            m.SpuriousWakeups.Value++;
            return;
        }
        long halted = Now - haltStart;
        m.IdleCycles.Value += halted;
        if (haltPolling)
        {
            m.HaltPollCycles.Value += halted;
            m.HaltPollHits.Value++;
            ChargeHyp(costs.HaltPollWake);
        }
        else
        {
            m.HaltPollCycles.Value += costs.HaltPollWindow;
            m.Wakeups.Value++;
            ChargeIdle(costs.HostWakeup);
            ChargeHyp(costs.VcpuLoad);
        }
        haltPolling = false;
        activityGen++; // drops the pending halt-poll end
        State = VcpuState.InHypervisor;
        EndExit(Placement.HostKernel);
        bool taken = CanTakeIrq();
        if (taken) HandleIrqs();
        Continue(irqTaken: true); // WFI is over whether or not the interrupt could be taken yet
    }

    internal void BeginExit(ExitReason reason, Placement placement)
    {
        switch (reason)
        {
            case ExitReason.Hvc: m.ExitsHvc.Value++; break;
            case ExitReason.Mmio: m.ExitsMmio.Value++; if (placement == Placement.VmmUser) m.ExitsMmioUser.Value++; break;
            case ExitReason.Sysreg: m.ExitsSysreg.Value++; break;
            case ExitReason.Wfi: m.ExitsWfi.Value++; break;
            case ExitReason.Kick: m.ExitsKick.Value++; break;
            case ExitReason.Maintenance: m.ExitsMaintenance.Value++; break;
            case ExitReason.Timer: m.ExitsTimer.Value++; break;
        }
        State = VcpuState.InHypervisor;
        ChargeHyp(costs.ExitPath(placement));
        if (costs.ReachesHost(placement)) Vm.Controller.OnGuestExit(this);
    }

    internal void EndExit(Placement placement)
    {
        if (costs.ReachesHost(placement)) Vm.Controller.OnGuestEntry(this);
        ChargeHyp(costs.EntryPath(placement));
        State = VcpuState.RunningGuest;
        LastEntryAt = Now;
    }
}
