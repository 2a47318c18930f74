using IrqBench.Machine.Costs;

namespace IrqBench.Machine.Vcpus;

public sealed partial class Vcpu
{
    private bool inIrq;
    private ExitReason exitReason;   // of the exit in progress, or the last one
    private long exitHypStart;       // this vCPU's hypervisor cycles when that exit began

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
            // The burst that is in progress on the timeline ends first (see the class remarks). A kick remembers
            // whether it hit guest code (bit 0) beside its trace flow (the other bits).
            long a = kind == EvKick ? (arg & ~1L) | (t >= LastEntryAt ? 1L : 0L) : arg;
            Vm.Queue.Post(BusyUntil, this, kind, a);
            return;
        }
        Now = Math.Max(t, BusyUntil);
        // A vCPU with no activity of its own (a test rig's vCPU driven by direct calls, a WFI that returned at once)
        // was executing guest code the model does not describe until now.
        if (State == VcpuState.RunningGuest && activity is Activity.None or Activity.Wfi && Now > account.Until)
            BookSince(TimeClass.Guest, account.Until);

        switch (kind)
        {
            case EvStart:
                RunProgram(start: true);
                break;
            case EvStep when activity == Activity.Work:
                BookSince(TimeClass.Guest, workStart);
                workRemaining = 0;
                RunProgram(start: false);
                break;
            case EvStep: // WFI that did not need to wait
                if (!TakePendingIrqs()) RunProgram(start: false);
                break;
            case EvFlagSeen:
                BookSince(TimeClass.Guest, spinStart);
                spinFlag = null;
                RunProgram(start: false);
                break;
            case EvKick when State == VcpuState.Halted:
                HaltedWake(kicked: true, flow: arg >> 1);
                break;
            case EvIrqLine when State == VcpuState.Halted:
                HaltedWake(kicked: false);
                break;
            case EvKick when (arg & 1) == 0:
                // The kick found the vCPU in the hypervisor: no IPI exit (kvm_vcpu_kick only interrupts a vCPU in
                // guest mode); the request is served by the entry that followed. That entry's flush ran in the burst,
                // before this state change was processed, so the controller's fold and flush are replayed here,
                // without the exit and entry path costs.
                m.KicksNoExit.Value++;
                Suspend();
                State = VcpuState.InHypervisor;
                long hyp = account.Own(TimeClass.Hyp);
                ReadRequests(arg >> 1);
                Vm.Controller.OnGuestExit(this);
                Vm.Controller.OnGuestEntry(this);
                m.Exits.AddToLast(exitReason, account.Own(TimeClass.Hyp) - hyp);
                exits.AddToLast(exitReason, account.Own(TimeClass.Hyp) - hyp);
                State = VcpuState.RunningGuest;
                bool took = CanTakeIrq();
                if (took) HandleIrqs();
                Continue(took);
                break;
            case EvKick:
                PhysicalIrqExit(ExitReason.Kick, 0, "IRQ (kick)", arg >> 1);
                break;
            case EvPause when State != VcpuState.Halted:
                PhysicalIrqExit(ExitReason.Kick, arg, "IRQ (stop-the-world)");
                break;
            case EvMaintenance when State != VcpuState.Halted:
                PhysicalIrqExit(ExitReason.Maintenance, 0, "IRQ (maintenance)");
                break;
            case EvIrqLine:
                TakePendingIrqs();
                break;
            case EvTimer when State == VcpuState.Halted:
                // KVM's background timer for a blocked vCPU (kvm_bg_timer_expire, an hrtimer on the pCPU the vCPU
                // thread blocked on): inject, then wake. The halt is idle up to the expiry; the injection is hypervisor
                // work on that pCPU.
                BookHalt();
                Vm.Controller.OnVirtualTimerExpired(this);
                HaltedWake(kicked: false);
                break;
            case EvTimer when Vm.Controller.TimerExpiryExits:
                PhysicalIrqExit(ExitReason.Timer, 0, "IRQ (vtimer)");
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
        if (end <= account.Until) return;
        switch (State)
        {
            case VcpuState.Halted:
                idleLabel = "halted";
                account.Book(TimeClass.Idle, account.Until, end - account.Until, Vm.Queue.Now);
                return;
            case VcpuState.RunningGuest when activity == Activity.Work:
                account.Book(TimeClass.Guest, workStart, end - workStart, Vm.Queue.Now);
                workStart = end;
                return;
            case VcpuState.RunningGuest when activity == Activity.Spin:
                account.Book(TimeClass.Guest, spinStart, end - spinStart, Vm.Queue.Now);
                spinStart = end;
                return;
            case VcpuState.RunningGuest when activity == Activity.WfiInGuest:
                idleLabel = "WFI (not trapped)";
                account.Book(TimeClass.Idle, wfiSince, end - wfiSince, Vm.Queue.Now);
                wfiSince = end;
                return;
            case VcpuState.RunningGuest:
                // A WFI that returned at once, its step still queued: the vCPU is executing guest code.
                account.Book(TimeClass.Guest, account.Until, end - account.Until, Vm.Queue.Now);
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
            LastExceptionAt = Now;
            ExceptionKickSentAt = LastKickSentAt;
            ExceptionExitBeganAt = LastExitBeganAt;
            ExceptionEntryAt = LastEntryAt;
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
                BookSince(TimeClass.Guest, workStart);
                workRemaining = Math.Max(0, workEnd - Now);
                break;
            case Activity.Spin:
                BookSince(TimeClass.Guest, spinStart);
                spinFlag?.RemoveSpinner(this);
                break;
            case Activity.WfiInGuest:
                idleLabel = "WFI (not trapped)";
                BookSince(TimeClass.Idle, wfiSince);
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
            case Activity.WfiInGuest when irqTaken || Vm.Controller.IrqLineAsserted(this):
                RunProgram(start: false); // WFI returned and the interrupt that ended it was handled
                break;
            case Activity.WfiInGuest:
                wfiSince = Now; // back into the guest's WFI: still nothing to take
                break;
            case Activity.Wfi:
                Vm.Queue.Post(Math.Max(Now, Vm.Queue.Now), this, EvStep, activityGen);
                break;
        }
    }

    /// <summary>A physical interrupt (kick IPI, maintenance interrupt, vtimer PPI) makes the running vCPU exit to the
    /// host kernel; the controller folds and flushes around the host's handling.</summary>
    private void PhysicalIrqExit(ExitReason reason, long pausedUntil, string traceLabel, long flow = 0)
    {
        Suspend();
        BeginExit(reason, Placement.HostKernel, traceLabel);
        ChargeHyp(costs.HostIrq);
        if (reason == ExitReason.Timer)
        {
            ChargeHyp(costs.VtimerHandler);
            Vm.Controller.OnVirtualTimerExpired(this);
        }
        else if (reason == ExitReason.Kick) ReadRequests(flow);
        if (pausedUntil > Now) ChargeHyp(pausedUntil - Now); // halted by another vCPU's stop-the-world
        EndExit(Placement.HostKernel);
        bool taken = CanTakeIrq();
        if (taken) HandleIrqs();
        Continue(taken);
    }

    /// <summary>Books the halt so far as idle: the part inside the polling window as halt-polling, the rest as the
    /// thread asleep (the split only names trace slices; both are idle). It ends at a background timer's injection,
    /// if one ran.</summary>
    private void BookHalt()
    {
        long pollEnd = haltStart + haltPollWindow;
        if (account.Until < pollEnd && Now > account.Until)
        {
            idleLabel = "halt-poll";
            account.Book(TimeClass.Idle, account.Until, Math.Min(Now, pollEnd) - account.Until, Vm.Queue.Now);
        }
        idleLabel = "halted";
        BookSince(TimeClass.Idle, account.Until);
    }

    /// <summary>The kicked vCPU's run loop reads vcpu->requests, a line the kicker just wrote; the kick's flow ends
    /// here.</summary>
    private void ReadRequests(long flow)
    {
        ChargeHyp(costs.LineTransfer);
        Vm.CountKickTransfer();
        if (flow != 0) Vm.Trace?.FlowEnd(flow, Id.Value, Now);
    }

    /// <summary>A halted vCPU is woken: if it has a pending interrupt it leaves the halt (cheaply while KVM is still
    /// halt-polling, through the host scheduler once the thread sleeps) and re-enters; otherwise it stays halted.</summary>
    private void HaltedWake(bool kicked, long flow = 0)
    {
        if (!Vm.Controller.HasPendingForWake(this) && !Vm.Controller.IrqLineAsserted(this))
        {
            m.SpuriousWakeups.Value++;
            return;
        }
        long halted = Now - haltStart;
        BookHalt();
        if (haltPolling)
        {
            m.HaltPollCycles.Value += halted;
            m.HaltPollHits.Value++;
            ChargeHyp(costs.HaltPollWake);
        }
        else
        {
            m.HaltPollCycles.Value += haltPollWindow;
            m.Wakeups.Value++;
            Charge(TimeClass.Idle, costs.HostWakeup);
            halted += costs.HostWakeup;
            ChargeHyp(costs.VcpuLoad);
        }
        haltPolling = false;
        haltPoll.Update(halted);
        if (kicked) ReadRequests(flow);
        activityGen++; // drops the pending halt-poll end
        State = VcpuState.InHypervisor;
        EndExit(Placement.HostKernel);
        bool taken = CanTakeIrq();
        if (taken) HandleIrqs();
        Continue(irqTaken: true); // WFI is over whether or not the interrupt could be taken yet
    }

    internal void BeginExit(ExitReason reason, Placement placement, string traceLabel)
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
        exitReason = reason;
        exitHypStart = account.Own(TimeClass.Hyp);
        exitLabel = traceLabel;
        LastExitBeganAt = Now;
        ChargeHyp(costs.ExitPath(placement));
        if (costs.ReachesHost(placement)) Vm.Controller.OnGuestExit(this);
    }

    internal void EndExit(Placement placement)
    {
        if (costs.ReachesHost(placement))
        {
            Vm.Controller.OnGuestEntry(this);
            Vm.TracePending(this, Now); // what the sync pruned and the flush queued
        }
        ChargeHyp(costs.EntryPath(placement));
        long handled = account.Own(TimeClass.Hyp) - exitHypStart;
        m.Exits.Record(exitReason, handled);
        exits.Record(exitReason, handled);
        State = VcpuState.RunningGuest;
        LastEntryAt = Now;
        exitLabel = null;
    }
}
