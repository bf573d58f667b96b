package handlers

import (
	"github.com/labstack/echo/v4"
)

// DeleteForm serves GET /enis/{id}/delete: a confirmation naming the ENI.
func (h *Handler) DeleteForm(c echo.Context) error {
	return h.confirmForm(c, opDelete)
}

// DeleteENI serves POST /enis/{id}/delete; only an Available secondary ENI
// is deleted, or one stuck in Deleting, again.
func (h *Handler) DeleteENI(c echo.Context) error {
	return h.confirmedOp(c, opDelete, nil)
}
