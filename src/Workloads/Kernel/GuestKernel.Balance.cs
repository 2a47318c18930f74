using IrqBench.Machine.Vcpus;

namespace IrqBench.Workloads.Kernel;

/// <summary>Load balancing as far as it makes interrupts: newidle balancing, and the nohz idle-balance kick by which a
/// busy vCPU's tick sends an idle vCPU a call-function IPI to pull work (kernel/sched/fair.c).</summary>
public sealed partial class GuestKernel
{
    /// <summary>newidle_balance: before idling, if any vCPU has tasks waiting (rd->overloaded), update this CPU's
    /// blocked load (update_blocked_averages) and pull one waiting task from the busiest vCPU.</summary>
    private GuestTask? NewidleBalance(Vcpu cpu, RunQueue rq)
    {
        if (totals.Queued == 0) return null;
        Syscall(cpu, Costs.NewidleBalance);
        UpdateLoadAvg(rq, null, onRq: false, cpu.Now);
        return PullFromBusiest(cpu, rq);
    }

    /// <summary>nohz.has_blocked: some idle vCPU may still carry blocked load that nobody decays.</summary>
    private bool nohzHasBlocked;

    /// <summary>nohz.next_blocked, in jiffies: when the idle vCPUs' blocked load is next due for an update.</summary>
    private long nohzNextBlocked;

    /// <summary>LOAD_AVG_PERIOD ms in jiffies: the interval of the blocked-load updates of idle CPUs.</summary>
    private static readonly long BlockedLoadInterval = Pelt.LoadAvgPeriod * Hz / 1000;

    /// <summary>
    /// nohz_balancer_kick from a busy vCPU's tick, when some vCPU sleeps tickless: NOHZ_STATS_KICK when the idle
    /// vCPUs' blocked load is due for its update (every LOAD_AVG_PERIOD ms while any may have some), and
    /// NOHZ_BALANCE_KICK when this vCPU has tasks waiting. kick_ilb sends the idle vCPU a call-function IPI
    /// (smp_call_function_single_async) unless it already has those flags pending.
    /// </summary>
    private void NohzBalancerKick(Vcpu cpu, RunQueue rq)
    {
        var flags = NohzFlags.None;
        if (nohzHasBlocked && cpu.Now / TickPeriod > nohzNextBlocked) flags |= NohzFlags.Stats;
        if (rq.Runnable > 0) flags |= NohzFlags.Stats | NohzFlags.Balance;
        if (flags == NohzFlags.None) return;
        int ilb = totals.FindIdle(rq.Index + 1, 0, rqs.Length);
        if (ilb < 0) return;
        var target = rqs[ilb];
        if ((target.IlbFlags & flags) == flags) return;
        bool kicked = target.IlbFlags != NohzFlags.None;
        target.IlbFlags |= flags;
        if (kicked) return; // the csd is already on its way: it will see the new flags
        nohzKicks.Value++;
        SmpCallSingleQueue(cpu, target, CallFunctionRequest.IdleBalance);
    }

    /// <summary>nohz_csd_func → _nohz_idle_balance on the kicked vCPU: for NOHZ_STATS_KICK, update the blocked load of
    /// every idle vCPU (update_nohz_stats) and schedule the next update; for NOHZ_BALANCE_KICK, pull a waiting task
    /// and leave idle to run it.</summary>
    private void NohzIdleBalance(Vcpu cpu, RunQueue rq)
    {
        var flags = rq.IlbFlags;
        rq.IlbFlags = NohzFlags.None;
        Syscall(cpu, Costs.NewidleBalance);
        if ((flags & NohzFlags.Stats) != 0)
        {
            nohzHasBlocked = false;
            foreach (var other in rqs)
            {
                if (!other.IsIdle) continue;
                UpdateLoadAvg(other, null, onRq: false, cpu.Now);
                if (other.Avg.LoadAvg != 0 || other.Avg.UtilAvg != 0) nohzHasBlocked = true;
            }
            nohzNextBlocked = cpu.Now / TickPeriod + BlockedLoadInterval;
        }
        if ((flags & NohzFlags.Balance) == 0 || !rq.IsIdle || PullFromBusiest(cpu, rq) is not { } t) return;
        rq.Enqueue(t);
        rq.NeedResched = true;
    }

    /// <summary>detach_one_task from the run queue with the most runnable tasks among those that have tasks waiting
    /// besides their current one, carried over as the fair class migrates a task, its load detached from the source
    /// and attached here (DO_DETACH, DO_ATTACH). Tasks asleep with sched_delayed are not pulled.</summary>
    private GuestTask? PullFromBusiest(Vcpu cpu, RunQueue rq)
    {
        RunQueue? busiest = null;
        foreach (var other in rqs)
            if (other != rq && other.Runnable > 0 && other.Curr is not null && (busiest is null || other.NrRunning > busiest.NrRunning))
                busiest = other;
        if (busiest?.LastRunnable() is not { } t) return null;
        newidlePulls.Value++;
        UpdateLoadAvg(busiest, t, onRq: true, cpu.Now, LoadUpdate.Detach);
        busiest.Dequeue(t);
        Fair.Migrate(busiest, rq, t);
        t.Cpu = rq.Index;
        UpdateLoadAvg(rq, t, onRq: false, cpu.Now, LoadUpdate.Attach);
        return t;
    }
}

/// <summary>Fork placement (kernel/sched/fair.c, the slow path of select_task_rq_fair for SD_BALANCE_FORK).</summary>
public sealed partial class GuestKernel
{
    /// <summary>group_type as the slow wake-up path uses it, best first (the types it never sees are left out).</summary>
    private enum GroupType { HasSpare, FullyBusy, Overloaded }

    /// <summary>sg_lb_stats of one sched_group for update_sg_wakeup_stats.</summary>
    private readonly record struct GroupStats(int First, int Weight, int IdleCpus, ulong Util, ulong AvgLoad, GroupType Type);

    /// <summary>
    /// sched_balance_find_dst_cpu for a fork from <paramref name="cpu"/>: from the highest domain with SD_BALANCE_FORK
    /// (PKG, whose groups are the LLCs, when the vCPUs have several; else MC, whose groups are single vCPUs) down,
    /// sched_balance_find_dst_group picks the idlest group unless the local one is as good, and
    /// sched_balance_find_dst_group_cpu the CPU in it; the walk goes on in the chosen CPU's lower domain.
    /// </summary>
    private int FindIdlestCpu(int cpu)
    {
        int n = rqs.Length, llc = Topology.LlcSize;
        bool twoLevels = llc > 1 && llc < n;
        int span0 = 0, spanCount = n, groupSize = twoLevels ? llc : 1;
        int newCpu = cpu;
        while (true)
        {
            var group = FindDstGroup(span0, spanCount, groupSize, cpu);
            if (group is { } g)
            {
                newCpu = FindDstGroupCpu(g);
                if (newCpu != cpu) cpu = newCpu;
            }
            if (groupSize == 1) return newCpu;
            // the child domain (MC, single-vCPU groups) of the CPU chosen so far
            (span0, spanCount) = Topology.Llc(cpu);
            groupSize = 1;
        }
    }

    /// <summary>sched_balance_find_dst_group over the groups of <paramref name="groupSize"/> vCPUs of the span, the
    /// local group (holding <paramref name="cpu"/>) first and the rest in order after it: the idlest non-local group
    /// by type, then most idle CPUs and least util (spare) or least average load (busy); null when the local group
    /// is at least as good.</summary>
    private GroupStats? FindDstGroup(int first, int count, int groupSize, int cpu)
    {
        int groups = count / groupSize, localIndex = (cpu - first) / groupSize;
        GroupStats? idlest = null;
        GroupStats local = default;
        for (int k = 0; k < groups; k++)
        {
            int gi = (localIndex + k) % groups;
            var sgs = WakeupStats(first + gi * groupSize, groupSize);
            if (k == 0) { local = sgs; continue; }
            if (idlest is not { } best || PickIdlest(best, sgs)) idlest = sgs;
        }
        if (idlest is not { } id) return null;
        if (local.Type != id.Type) return local.Type < id.Type ? null : id;
        if (local.Type == GroupType.HasSpare) return local.IdleCpus >= id.IdleCpus ? null : id;
        long imbalance = (long)Pelt.Nice0Weight * (ImbalancePct - 100) / 100;
        if ((long)id.AvgLoad >= (long)local.AvgLoad + imbalance) return null;
        if (100 * local.AvgLoad <= (ulong)ImbalancePct * id.AvgLoad) return null;
        return id;
    }

    /// <summary>update_pick_idlest: a better type wins; a spare group with more idle CPUs, or as many and less util;
    /// a busy group with less average load. Ties keep the group found first.</summary>
    private static bool PickIdlest(GroupStats idlest, GroupStats sgs)
    {
        if (sgs.Type != idlest.Type) return sgs.Type < idlest.Type;
        if (sgs.Type == GroupType.HasSpare)
            return sgs.IdleCpus > idlest.IdleCpus || (sgs.IdleCpus == idlest.IdleCpus && sgs.Util < idlest.Util);
        return sgs.AvgLoad < idlest.AvgLoad;
    }

    /// <summary>update_sg_wakeup_stats and group_classify for a group of vCPUs (the new task is on none of them):
    /// overloaded when it runs more tasks than vCPUs and its util is past capacity/imbalance_pct, fully busy when it
    /// has no spare capacity, else spare. The runnable-average tests of group_has_capacity and group_is_overloaded
    /// are left out (runnable_avg is not tracked).</summary>
    private GroupStats WakeupStats(int first, int weight)
    {
        int idle = 0, nr = 0;
        ulong util = 0, load = 0;
        for (int i = first; i < first + weight; i++)
        {
            var rq = rqs[i];
            load += CpuLoad(rq);
            util += CpuUtil(rq);
            nr += rq.NrRunning;
            if (rq.NrRunning == 0 && rq.IsIdle) idle++;
        }
        ulong capacity = (ulong)weight * Pelt.CapacityScale;
        var type = nr > weight && capacity * 100 < util * ImbalancePct ? GroupType.Overloaded
            : nr < weight || capacity * 100 > util * ImbalancePct ? GroupType.HasSpare
            : GroupType.FullyBusy;
        ulong avgLoad = type == GroupType.HasSpare ? 0 : load * Pelt.CapacityScale / capacity;
        return new GroupStats(first, weight, idle, util, avgLoad, type);
    }

    /// <summary>sched_balance_find_dst_group_cpu: a single vCPU is the answer; else the idle vCPU that went idle last
    /// (no cpuidle states to compare: the warmest cache), or without one the least loaded vCPU.</summary>
    private int FindDstGroupCpu(GroupStats g)
    {
        if (g.Weight == 1) return g.First;
        int best = -1;
        ulong minLoad = ulong.MaxValue;
        int leastLoaded = g.First;
        for (int i = g.First; i < g.First + g.Weight; i++)
        {
            var rq = rqs[i];
            if (rq.IsIdle)
            {
                if (best < 0 || rq.IdleStamp > rqs[best].IdleStamp) best = i;
            }
            else if (best < 0 && CpuLoad(rq) < minLoad)
            {
                minLoad = CpuLoad(rq);
                leastLoaded = i;
            }
        }
        return best >= 0 ? best : leastLoaded;
    }
}
