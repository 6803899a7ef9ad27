package embedded

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/scoreflow/scoreflow/internal/logging"
	"github.com/scoreflow/scoreflow/internal/store/storetest"
	"github.com/scoreflow/scoreflow/internal/temporal/embedded/freeport"
)

// postgresOf is a server's two databases, given as the URLs of two
// databases of the test's PostgreSQL server.
func postgresOf(t *testing.T, main, visibility string) Postgres {
	t.Helper()
	u, err := url.Parse(main)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := url.Parse(visibility)
	port, _ := strconv.Atoi(u.Port())
	password, _ := u.User.Password()
	return Postgres{Host: u.Hostname(), Port: port, User: u.User.Username(), Password: password,
		Database: strings.TrimPrefix(u.Path, "/"), Visibility: strings.TrimPrefix(v.Path, "/")}
}

// On PostgreSQL the server sets its schemas up with Temporal's own tool,
// registers the namespace with its search attributes, and after a restart
// on the same databases finds the schema current, the namespace there and a
// workflow it was running, and adds a search attribute a new release asks
// for: a workflow may carry it as soon as the server has started.
func TestTheServerKeepsItsDataInPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts a Temporal server on PostgreSQL")
	}
	pg := postgresOf(t, storetest.Postgres(t), storetest.Postgres(t))
	ports, err := freeport.Take("127.0.0.1", 1)
	if err != nil {
		t.Fatal(err)
	}
	tenant, stage := temporal.NewSearchAttributeKeyKeyword("TenantId"), temporal.NewSearchAttributeKeyKeyword("Stage")
	attributes := map[string]enumspb.IndexedValueType{tenant.GetName(): enumspb.INDEXED_VALUE_TYPE_KEYWORD}
	start := func() *Server {
		t.Helper()
		s, err := Start(Options{Postgres: &pg, IP: "127.0.0.1", Port: ports[0], Namespace: "default", SearchAttributes: attributes, Logger: zerolog.Nop()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	server := start()
	c, err := client.Dial(client.Options{HostPort: server.Address(), Logger: logging.Temporal(zerolog.Nop())})
	if err != nil {
		server.Stop()
		t.Fatal(err)
	}
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "kept-in-postgres", TaskQueue: "nobody-polls",
		TypedSearchAttributes: temporal.NewSearchAttributes(tenant.ValueSet("contoso"))}, "Anything")
	c.Close()
	server.Stop()
	if err != nil {
		t.Fatal(err)
	}

	attributes[stage.GetName()] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
	server = start()
	defer server.Stop()
	c, err = client.Dial(client.Options{HostPort: server.Address(), Logger: logging.Temporal(zerolog.Nop())})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	described, err := c.DescribeWorkflowExecution(ctx, "kept-in-postgres", run.GetRunID())
	if err != nil || described.WorkflowExecutionInfo.Execution.RunId != run.GetRunID() {
		t.Fatalf("after the restart the workflow is %+v, %v", described, err)
	}
	_, err = c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "with-a-new-attribute", TaskQueue: "nobody-polls",
		TypedSearchAttributes: temporal.NewSearchAttributes(tenant.ValueSet("contoso"), stage.ValueSet("detected"))}, "Anything")
	if err != nil {
		t.Fatalf("a search attribute added at the restart: %v", err)
	}
}
