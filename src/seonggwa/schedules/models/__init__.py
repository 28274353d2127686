from seonggwa.schedules.models.days_off import DayOff
from seonggwa.schedules.models.schedule import ProjectYear, Schedule
from seonggwa.schedules.models.window import Unit, Window, WindowState

__all__ = ["DayOff", "ProjectYear", "Schedule", "Unit", "Window", "WindowState"]
