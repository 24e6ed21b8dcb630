package web

import "github.com/qhall/qhall/internal/authz"

// appointmentRoutes: booking a slot (预约), the booking's own page, check-in, and the staff's
// view and settings.
func (s *Server) appointmentRoutes() []route {
	return []route{
		{"GET /api/v1/halls/{hall}/services/{service}/slots", authz.Public, false, s.apptSlots},
		{"PUT /api/v1/halls/{hall}/services/{service}/slots", authz.AppointmentsManage, false, s.apptSetCapacity},
		{"GET /api/v1/halls/{hall}/appointment-settings", authz.Public, false, s.apptSettings},
		{"PUT /api/v1/halls/{hall}/appointment-settings", authz.AppointmentsManage, false, s.apptPutSettings},
		{"POST /api/v1/halls/{hall}/appointments", authz.Public, false, s.apptBook},
		{"GET /api/v1/halls/{hall}/appointments", authz.AppointmentsRead, false, s.apptDay},
		{"POST /api/v1/halls/{hall}/checkin", authz.Public, false, s.apptCheckIn},
		{"GET /api/v1/appointments/{token}", authz.Public, false, s.apptGet},
		{"DELETE /api/v1/appointments/{token}", authz.Public, false, s.apptCancel},
		{"POST /api/v1/appointments/{token}/reschedule", authz.Public, false, s.apptReschedule},
		{"POST /api/v1/appointments/{token}/checkin", authz.Public, false, s.apptCheckInByToken},
		{"GET /book/{hall}", authz.Public, true, s.bookPage},
		{"GET /a/{token}", authz.Public, true, s.bookingPage},
		{"GET /a/{token}/qr.png", authz.Public, true, s.bookingQR},
		{"GET /supervisor/{hall}/appointments", authz.AppointmentsRead, true, s.apptStaffPage},
	}
}
