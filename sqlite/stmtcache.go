package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"
)

// maxCachedStmts bounds the statements one connection keeps prepared. The
// store's statements are a few dozen; lists built for a filter add some.
const maxCachedStmts = 256

// A statement cache on each connection: every statement is prepared once
// per connection and kept, instead of being parsed again at each use
// (which took a quarter of the number engine's CPU). It lives on the
// connection because it must: the writer pool has one connection, held by
// the transaction that needs the statement, so sql.DB.PrepareContext
// would wait for it forever. The connections it wraps do not offer
// database/sql their own QueryContext, nor ExecContext but for scripts
// without arguments, so that every other statement goes through
// PrepareContext, which answers from the cache.

// cachingConnector opens the driver's connections with a statement cache
// each.
type cachingConnector struct {
	drv driver.Driver
	dsn string
}

// openCaching is sql.Open of the registered driver name, each connection
// with its statement cache.
func openCaching(name, dsn string) (*sql.DB, error) {
	db, err := sql.Open(name, dsn) // connects to nothing: it finds the driver
	if err != nil {
		return nil, err
	}
	drv := db.Driver()
	if err := db.Close(); err != nil {
		return nil, err
	}
	return sql.OpenDB(cachingConnector{drv: drv, dsn: dsn}), nil
}

func (c cachingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, stmts: map[string]*cachedStmt{}}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.drv }

// cachingConn is a driver connection with its prepared statements.
// database/sql uses a connection from one goroutine at a time; the mutex
// keeps the cache sound whatever it does.
type cachingConn struct {
	driver.Conn
	mu    sync.Mutex
	stmts map[string]*cachedStmt
}

var (
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
	_ driver.ExecerContext      = (*cachingConn)(nil)
	_ driver.ConnBeginTx        = (*cachingConn)(nil)
	_ driver.SessionResetter    = (*cachingConn)(nil)
	_ driver.Validator          = (*cachingConn)(nil)
	_ driver.Pinger             = (*cachingConn)(nil)
)

// PrepareContext returns the statement prepared for query on this
// connection, preparing it the first time. A statement whose rows are
// still being read (a query run again while its previous rows are open)
// is not shared: that use gets a statement of its own, closed after it.
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.mu.Lock()
	s, ok := c.stmts[query]
	if ok && !s.busy {
		c.mu.Unlock()
		return s, nil
	}
	c.mu.Unlock()
	si, err := prepare(ctx, c.Conn, query)
	if err != nil {
		return nil, err
	}
	s = &cachedStmt{Stmt: si, conn: c}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !ok && len(c.stmts) < maxCachedStmts {
		s.cached = true
		c.stmts[query] = s
	}
	return s, nil
}

// ExecContext runs a statement without arguments the driver's own way:
// a migration is a script of several statements, which one prepared
// statement would cut short (mattn's runs only the first). A statement
// with arguments goes through the cache (driver.ErrSkip).
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := c.Conn.(driver.ExecerContext); ok && len(args) == 0 {
		return e.ExecContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func prepare(ctx context.Context, conn driver.Conn, query string) (driver.Stmt, error) {
	if p, ok := conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return conn.Prepare(query)
}

// Close closes the cached statements, then the connection.
func (c *cachingConn) Close() error {
	c.mu.Lock()
	for _, s := range c.stmts {
		_ = s.Stmt.Close()
	}
	c.stmts = nil
	c.mu.Unlock()
	return c.Conn.Close()
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin()
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// cachedStmt is a statement of a cachingConn. Closing a cached one keeps
// it for the next use; it is closed with its connection.
type cachedStmt struct {
	driver.Stmt
	conn   *cachingConn
	cached bool
	busy   bool // its rows are being read
}

func (s *cachedStmt) Close() error {
	if s.cached {
		return nil
	}
	return s.Stmt.Close()
}

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	return s.Stmt.Exec(values(args))
}

// values is args for a driver that takes no names or context.
func values(args []driver.NamedValue) []driver.Value {
	v := make([]driver.Value, len(args))
	for i, a := range args {
		v[i] = a.Value
	}
	return v
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	var rows driver.Rows
	var err error
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		rows, err = q.QueryContext(ctx, args)
	} else {
		rows, err = s.Stmt.Query(values(args))
	}
	if err != nil {
		return nil, err
	}
	s.conn.mu.Lock()
	s.busy = true
	s.conn.mu.Unlock()
	return &stmtRows{Rows: rows, stmt: s}, nil
}

// stmtRows frees its statement for the next use when closed.
type stmtRows struct {
	driver.Rows
	stmt *cachedStmt
}

func (r *stmtRows) Close() error {
	err := r.Rows.Close()
	r.stmt.conn.mu.Lock()
	r.stmt.busy = false
	r.stmt.conn.mu.Unlock()
	return err
}
