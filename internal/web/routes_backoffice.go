package web

import "github.com/qhall/qhall/internal/authz"

// backofficeRoutes: the back office (halls, services with their materials, windows, staff,
// priority classes, calendar days, the finder), the service guide (办事指南), the finder
// (智能导办) and the working-day calendar's public answer.
func (s *Server) backofficeRoutes() []route {
	return []route{
		{"GET /api/v1/calendar/workdays", authz.Public, false, s.workdays},
		{"GET /api/v1/services/{service}/guide", authz.Public, false, s.serviceGuide},
		{"GET /api/v1/halls/{hall}/finder", authz.Public, false, s.finderTree},
		{"GET /api/v1/halls/{hall}/search", authz.Public, false, s.serviceSearch},

		{"GET /api/v1/admin/halls", authz.HallConfigure, false, s.adminHalls},
		{"POST /api/v1/admin/halls", authz.CatalogueEdit, false, s.adminCreateHall},
		{"PUT /api/v1/admin/halls/{hall}", authz.CatalogueEdit, false, s.adminUpdateHall},
		{"PUT /api/v1/admin/halls/{hall}/active", authz.CatalogueEdit, false, s.adminHallActive},
		{"GET /api/v1/admin/halls/{hall}/services", authz.HallConfigure, false, s.adminServices},
		{"POST /api/v1/admin/halls/{hall}/services", authz.CatalogueEdit, false, s.adminCreateService},
		{"PUT /api/v1/admin/services/{service}", authz.CatalogueEdit, false, s.adminUpdateService},
		{"PUT /api/v1/admin/services/{service}/active", authz.CatalogueEdit, false, s.adminServiceActive},
		{"GET /api/v1/admin/halls/{hall}/windows", authz.HallConfigure, false, s.adminWindows},
		{"POST /api/v1/admin/halls/{hall}/windows", authz.CatalogueEdit, false, s.adminCreateWindow},
		{"PUT /api/v1/admin/windows/{window}", authz.HallConfigure, false, s.adminUpdateWindow},
		{"PUT /api/v1/admin/windows/{window}/active", authz.CatalogueEdit, false, s.adminWindowActive},
		{"GET /api/v1/admin/priority-classes", authz.CatalogueEdit, false, s.adminPriorityClasses},
		{"POST /api/v1/admin/priority-classes", authz.CatalogueEdit, false, s.adminCreatePriorityClass},
		{"PUT /api/v1/admin/priority-classes/{code}", authz.CatalogueEdit, false, s.adminUpdatePriorityClass},
		{"PUT /api/v1/admin/priority-classes/{code}/active", authz.CatalogueEdit, false, s.adminPriorityClassActive},
		{"PUT /api/v1/admin/halls/{hall}/finder", authz.CatalogueEdit, false, s.adminSetFinder},
		{"GET /api/v1/admin/halls/{hall}/calendar", authz.HallConfigure, false, s.adminCalendar},
		{"PUT /api/v1/admin/halls/{hall}/calendar/{day}", authz.HallConfigure, false, s.adminSetDay},
		{"DELETE /api/v1/admin/halls/{hall}/calendar/{day}", authz.HallConfigure, false, s.adminDeleteDay},
		{"GET /api/v1/admin/staff", authz.StaffManage, false, s.adminStaff},
		{"POST /api/v1/admin/staff", authz.StaffManage, false, s.adminCreateStaff},
		{"PUT /api/v1/admin/staff/{id}", authz.StaffManage, false, s.adminUpdateStaff},
		{"PUT /api/v1/admin/staff/{id}/password", authz.StaffManage, false, s.adminStaffPassword},
		{"PUT /api/v1/admin/staff/{id}/active", authz.StaffManage, false, s.adminStaffActive},

		{"GET /guide/{hall}", authz.Public, true, s.guideIndexPage},
		{"GET /guide/{hall}/{service}", authz.Public, true, s.guidePage},
		{"GET /finder/{hall}", authz.Public, true, s.finderPage},
		{"GET /admin", authz.HallConfigure, true, s.adminHubPage},
		{"GET /admin/halls", authz.CatalogueEdit, true, s.adminPage("halls")},
		{"GET /admin/services", authz.CatalogueEdit, true, s.adminPage("services")},
		{"GET /admin/windows", authz.HallConfigure, true, s.adminPage("windows")},
		{"GET /admin/staff", authz.StaffManage, true, s.adminPage("staff")},
		{"GET /admin/priority", authz.CatalogueEdit, true, s.adminPage("priority")},
		{"GET /admin/calendar", authz.HallConfigure, true, s.adminPage("calendar")},
		{"GET /admin/finder", authz.CatalogueEdit, true, s.adminPage("finder")},
	}
}
