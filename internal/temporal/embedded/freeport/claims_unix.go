//go:build unix

package freeport

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
)

// claimed keeps this process's claims open: a claim is an exclusive flock on a
// port's file, which the kernel drops when the process ends, however it
// ends, so a crashed process leaves nothing to clean up.
var claimed struct {
	sync.Mutex
	files []*os.File
}

// claim takes port for this process, for as long as it lives, unless another
// process or an earlier call of this one holds it. Ports are claimed for
// good because they are handed to servers that keep them. Without a shared
// directory there is nothing to coordinate with, and the port is taken.
func (c claims) claim(port int) bool {
	if c.dir == "" || os.MkdirAll(c.dir, 0o700) != nil {
		return true
	}
	// Opened without O_EXCL: the file of a claim that ended stays, and is reused.
	file, err := os.OpenFile(filepath.Join(c.dir, strconv.Itoa(port)), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return true
	}
	// A second open of the same file, even in this process, is refused the lock.
	if err := syscall.Flock(int(file.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		file.Close()
		return !errors.Is(err, syscall.EWOULDBLOCK)
	}
	claimed.Lock()
	claimed.files = append(claimed.files, file)
	claimed.Unlock()
	return true
}
