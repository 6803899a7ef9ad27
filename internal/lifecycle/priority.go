package lifecycle

import "go.temporal.io/sdk/temporal"

// BackgroundPriority is the task-queue priority of the work nobody waits
// for: the daily sweep of every tenant and the store's pruning. Temporal's
// matching hands out tasks of a higher priority first (1 is the highest;
// unset is 3), so a customer's decision or a specialist's verdict does not
// queue behind a thousand tenants' sweeps. A workflow's activities take its
// priority; the recommendations a sweep starts or signals keep their own.
var BackgroundPriority = temporal.Priority{PriorityKey: 5}
