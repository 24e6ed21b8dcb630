package web

import "github.com/qhall/qhall/internal/authz"

// trustRoutes: sessions and paired devices (issue 12).
func (s *Server) trustRoutes() []route {
	return []route{
		{"POST /api/v1/me/sessions/end-others", authz.SignedIn, false, s.endOtherSessions},
		{"POST /api/v1/staff/{username}/sessions/end", authz.StaffSessionsEnd, false, s.endSessions},
		{"POST /api/v1/halls/{hall}/devices/pairing-codes", authz.DevicePair, false, s.newPairingCode},
		{"POST /api/v1/devices/pair", authz.Public, false, s.pairDevice},
		{"GET /kiosk/{hall}/pair", authz.Public, true, s.kioskPairPage},
		{"GET /devices/{hall}", authz.DevicePair, true, s.devicesPage},
	}
}
